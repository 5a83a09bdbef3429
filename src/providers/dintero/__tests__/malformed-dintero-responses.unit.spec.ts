import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import fc from "fast-check"
import { MedusaError } from "@medusajs/framework/utils"
import { DinteroProviderService } from "../service"

/**
 * Property: whatever Dintero (or a proxy in front of it) answers when the provider reads a transaction,
 * the provider authorizes only a well-formed transaction of this very checkout session, for this amount
 * and currency, that Dintero reports as authorized or captured. Everything else is a clear MedusaError,
 * never an authorization and never a crash of another kind ("no authorization on doubt").
 *
 * The answers come from a real HTTP server: the provider's undici client, its zod validation and its
 * error conversion all run as in production.
 */

const ACCOUNT = "T12345678"
const SESSION_ID = `${ACCOUNT}.session-under-test`
const TRANSACTION_ID = `${ACCOUNT}.transaction-under-test`
const AMOUNT = 29_990
const CURRENCY = "NOK"

type Answer = { status: number; raw: string }
let transactionAnswer: Answer = { status: 200, raw: "{}" }
let server: Server
let baseUrl: string

beforeAll(async () => {
  server = createServer((req, res) => {
    const reply = (status: number, raw: string) => {
      res.writeHead(status, { "content-type": "application/json" })
      res.end(raw)
    }
    if (req.method === "POST" && req.url?.endsWith("/auth/token")) {
      return reply(200, JSON.stringify({ access_token: "token-for-tests", token_type: "Bearer", expires_in: 3600 }))
    }
    if (req.method === "GET" && req.url?.startsWith(`/v1/sessions/${encodeURIComponent(SESSION_ID)}`)) {
      return reply(200, JSON.stringify({ id: SESSION_ID, transaction_id: TRANSACTION_ID, events: [] }))
    }
    if (req.method === "GET" && req.url?.startsWith(`/v1/transactions/${encodeURIComponent(TRANSACTION_ID)}`)) {
      return reply(transactionAnswer.status, transactionAnswer.raw)
    }
    // The search by session (GET /v1/transactions?session_id=): the same answer, as the one entry of a list.
    if (req.method === "GET" && req.url?.startsWith(`/v1/transactions?`)) {
      const sessionId = new URL(req.url, "http://dintero").searchParams.get("session_id")
      if (sessionId !== SESSION_ID) return reply(200, "[]")
      return reply(transactionAnswer.status, transactionAnswer.status === 200 ? `[${transactionAnswer.raw}]` : transactionAnswer.raw)
    }
    reply(404, JSON.stringify({ error: { message: "not found" } }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function provider() {
  const accountHolderService = {
    retrieve: async () => ({ id: "acchld_1", data: {} }),
    update: async () => ({}),
  }
  return new DinteroProviderService({ accountHolderService } as any, {
    accountId: ACCOUNT,
    clientId: "client",
    clientSecret: "secret",
    backendUrl: "https://shop.example",
    returnUrl: "https://shop.example/return",
    apiBaseUrl: baseUrl,
    checkoutBaseUrl: baseUrl,
    maxRetries: 0,
    timeoutMs: 2000,
  })
}

const sessionData = {
  dintero: { session_id: SESSION_ID, medusa_session_id: "payses_under_test", amount: AMOUNT, currency: CURRENCY },
}

const STATUSES = [
  "INITIATED", "AUTHORIZED", "AUTHORIZATION_VOIDED", "CAPTURED", "PARTIALLY_CAPTURED", "PARTIALLY_CAPTURED_REFUNDED",
  "REFUNDED", "PARTIALLY_REFUNDED", "DECLINED", "FAILED", "UNKNOWN", "ON_HOLD",
]
const PAID = new Set(["AUTHORIZED", "CAPTURED", "PARTIALLY_CAPTURED", "PARTIALLY_CAPTURED_REFUNDED", "REFUNDED", "PARTIALLY_REFUNDED"])

const genuine: Record<string, unknown> = {
  id: TRANSACTION_ID,
  session_id: SESSION_ID,
  merchant_reference: "payses_under_test",
  amount: AMOUNT,
  currency: CURRENCY,
  status: "AUTHORIZED",
  events: [{ event: "AUTHORIZE", success: true, amount: AMOUNT }],
}

/** Near misses of each field, the kind a bug or a proxy produces, beside arbitrary JSON. */
const variants: Record<string, fc.Arbitrary<unknown>> = {
  id: fc.constantFrom(TRANSACTION_ID, "", 42, null),
  session_id: fc.constantFrom(SESSION_ID, `${ACCOUNT}.another-session`, "", null),
  merchant_reference: fc.constantFrom("payses_under_test", "payses_other", null),
  amount: fc.constantFrom(AMOUNT, AMOUNT - 1, AMOUNT + 1, AMOUNT / 100, String(AMOUNT), -AMOUNT, null),
  currency: fc.constantFrom(CURRENCY, "nok", "SEK", "", null),
  status: fc.constantFrom(...STATUSES, "AUTHORISED", "authorized", "", null),
  events: fc.constantFrom([], null, "events", [{ event: 1 }], [{ event: "CAPTURE", amount: "all" }]),
}

const mutatedTransaction = fc
  .record(
    Object.fromEntries(
      Object.keys(genuine).map((key) => [
        key,
        fc.oneof(
          { weight: 4, arbitrary: fc.constant(genuine[key]) },
          { weight: 3, arbitrary: variants[key] },
          { weight: 1, arbitrary: fc.constant(undefined) },
          { weight: 1, arbitrary: fc.jsonValue() }
        ),
      ])
    )
  )
  .map((fields) => Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)))

const answers: fc.Arbitrary<Answer> = fc.oneof(
  { weight: 6, arbitrary: mutatedTransaction.map((body) => ({ status: 200, raw: JSON.stringify(body) })) },
  { weight: 1, arbitrary: fc.jsonValue().map((body) => ({ status: 200, raw: JSON.stringify(body) })) },
  { weight: 1, arbitrary: fc.string().map((raw) => ({ status: 200, raw })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(400, 404, 409, 422, 500, 502, 503), fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))))
      .map(([status, raw]) => ({ status, raw })),
  }
)

/** What the provider may authorize: exactly this session's transaction, amount and currency, paid. */
function isThisSessionsPayment(answer: Answer): boolean {
  if (answer.status !== 200) {
    return false
  }
  let body: any
  try {
    body = JSON.parse(answer.raw)
  } catch {
    return false
  }
  return (
    !!body &&
    typeof body === "object" &&
    typeof body.id === "string" &&
    body.id.length > 0 &&
    body.session_id === SESSION_ID &&
    body.amount === AMOUNT &&
    typeof body.currency === "string" &&
    body.currency.toUpperCase() === CURRENCY &&
    PAID.has(body.status)
  )
}

describe("a malformed or mismatched answer from Dintero never authorizes a payment", () => {
  it("authorizes only this session's paid transaction; anything else is a MedusaError", async () => {
    const dintero = provider()
    await fc.assert(
      fc.asyncProperty(answers, async (answer) => {
        transactionAnswer = answer
        let outcome: { status?: string } | undefined
        let failure: unknown
        try {
          outcome = await dintero.authorizePayment({ data: sessionData, context: {} } as any)
        } catch (error) {
          failure = error
        }
        if (failure) {
          // Refused: always a MedusaError a merchant can read, never a TypeError or a zod dump.
          expect(MedusaError.isMedusaError(failure)).toBe(true)
          expect((failure as Error).message).toMatch(/Dintero/)
          return
        }
        const authorized = outcome?.status === "authorized" || outcome?.status === "captured"
        if (authorized) {
          expect(isThisSessionsPayment(answer)).toBe(true)
        }
      }),
      { numRuns: 300 }
    )
    // 300 real HTTP round trips: seconds on a loaded 2-core CI machine. A timeout would leave the property
    // running and changing the shared answer under the next test.
  }, 60_000)

  it("a genuine authorization of this session is authorized (the property above is not vacuous)", async () => {
    transactionAnswer = { status: 200, raw: JSON.stringify(genuine) }
    const result = await provider().authorizePayment({ data: sessionData, context: {} } as any)
    expect(result.status).toBe("authorized")
  })
})

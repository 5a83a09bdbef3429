import { startDinteroEmulator, type DinteroEmulator } from "../../../../emulator/src"
import { DinteroClient, type DinteroClientConfig } from "../client"
import { DinteroError } from "../errors"

let emulator: DinteroEmulator

beforeAll(async () => {
  emulator = await startDinteroEmulator({ accessTokenTtlSeconds: 3600 })
})
beforeEach(() => emulator.reset())
afterAll(() => emulator.close())

function client(overrides: Partial<DinteroClientConfig> = {}) {
  return new DinteroClient({
    accountId: "T12345678",
    clientId: "emulator-client-id",
    clientSecret: "emulator-client-secret",
    apiBaseUrl: emulator.baseUrl,
    checkoutBaseUrl: emulator.baseUrl,
    timeoutMs: 2000,
    retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 200 },
    system: { name: "medusa", version: "2.21.2", pluginName: "medusa-payment-dintero", pluginVersion: "test" },
    ...overrides,
  })
}

const tokenRequests = () => emulator.requests().filter((r: any) => r.path.endsWith("/auth/token")).length
const requestsTo = (fragment: string) => emulator.requests().filter((r: any) => r.path.includes(fragment))

async function authorizedTransaction(dintero: DinteroClient, amount = 10000) {
  const session = await dintero.createSession({
    profile_id: "default",
    url: { return_url: "https://shop.example/return" },
    order: {
      amount,
      currency: "NOK",
      merchant_reference: `ref-${Math.random()}`,
      items: [{ line_id: "1", quantity: 1, amount, vat_amount: amount / 5, vat: 25, description: "Sweater" }],
    },
  })
  const paid = await emulator.pay(session.id, { card: "4111111111111111" })
  return paid.transactionId!
}

describe("access tokens", () => {
  it("one token serves many concurrent calls: a single token request however many wait", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(client())
    const before = tokenRequests()
    await Promise.all(Array.from({ length: 20 }, () => dintero.getTransaction(transactionId)))
    expect(tokenRequests() - before).toBe(1)
  })

  it("renews the token before it runs out", async () => {
    let now = Date.now()
    const dintero = client({ now: () => now })
    const transactionId = await authorizedTransaction(dintero)
    const before = tokenRequests()
    now += 3300 * 1000 // 55 of 60 minutes: inside the renewal margin
    await dintero.getTransaction(transactionId)
    expect(tokenRequests() - before).toBe(1)
  })

  it("a token Dintero no longer accepts is replaced and the call succeeds", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(dintero)
    emulator.expireAccessTokens()
    await expect(dintero.getTransaction(transactionId)).resolves.toMatchObject({ id: transactionId })
  })

  it("wrong credentials fail with Dintero's message and never echo the secret", async () => {
    const error = await client({ clientSecret: "wrong-secret-value" }).getSession("T12345678.x").catch((e) => e)
    expect(error).toBeInstanceOf(DinteroError)
    expect(error.status).toBe(401)
    expect(error.message).not.toContain("wrong-secret-value")
  })
})

describe("retries", () => {
  it("reads are retried through 5xx and network resets", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(dintero)
    emulator.injectFault({ kind: "status", status: 502, count: 1, match: { method: "GET", path: "/transactions/" } })
    emulator.injectFault({ kind: "reset", count: 1, match: { method: "GET", path: "/transactions/" } })
    await expect(dintero.getTransaction(transactionId)).resolves.toMatchObject({ status: "AUTHORIZED" })
  })

  it("honours Retry-After on 429", async () => {
    const dintero = client({ retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 2000 } })
    const transactionId = await authorizedTransaction(dintero)
    emulator.injectFault({ kind: "status", status: 429, retryAfter: 1, count: 1, match: { method: "GET", path: "/transactions/" } })
    const started = Date.now()
    await dintero.getTransaction(transactionId)
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it("gives up at once when Retry-After asks for longer than the caller can wait", async () => {
    const dintero = client({ retry: { maxRetries: 3, baseDelayMs: 10, maxDelayMs: 500 } })
    const transactionId = await authorizedTransaction(dintero)
    emulator.injectFault({ kind: "status", status: 429, retryAfter: 30, count: 1, match: { method: "GET", path: "/transactions/" } })
    const started = Date.now()
    await expect(dintero.getTransaction(transactionId)).rejects.toMatchObject({ status: 429 })
    expect(Date.now() - started).toBeLessThan(500)
  })

  it("creating a session is not resent after an ambiguous 500", async () => {
    const dintero = client()
    await dintero.getSession("T12345678.warmup").catch(() => undefined)
    emulator.injectFault({ kind: "status", status: 500, count: 1, match: { method: "POST", path: "/sessions-profile" } })
    const error = await dintero
      .createSession({
        profile_id: "default",
        url: { return_url: "https://shop.example/return" },
        order: { amount: 100, currency: "NOK", merchant_reference: "r1" },
      })
      .catch((e) => e)
    expect(error).toBeInstanceOf(DinteroError)
    expect(error.isAmbiguous).toBe(true)
    expect(requestsTo("/sessions-profile")).toHaveLength(1)
  })
})

describe("capture, refund and void are never applied twice", () => {
  it("a capture Dintero applied but whose answer was lost is recognised by its reference", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(dintero)
    emulator.injectFault({ kind: "reset", phase: "after", count: 1, match: { method: "POST", path: "/capture" } })

    const captured = await dintero.captureTransaction(transactionId, { amount: 10000, capture_reference: "capt_1" })
    expect(captured.status).toBe("CAPTURED")
    expect(requestsTo("/capture")).toHaveLength(1)
  })

  it("a capture that failed before Dintero acted is sent again and applied once", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(dintero)
    emulator.injectFault({ kind: "status", status: 500, phase: "before", count: 1, match: { method: "POST", path: "/capture" } })

    const captured = await dintero.captureTransaction(transactionId, { amount: 4000, capture_reference: "capt_2" })
    expect(captured.status).toBe("PARTIALLY_CAPTURED")
    const transaction = await dintero.getTransaction(transactionId)
    expect(transaction.events!.filter((e) => e.event === "CAPTURE").map((e) => e.amount)).toEqual([4000])
  })

  it("a refund without a reference is not resent after an ambiguous failure", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(dintero)
    await dintero.captureTransaction(transactionId, { amount: 10000, capture_reference: "capt_3" })
    emulator.injectFault({ kind: "status", status: 500, phase: "before", count: 1, match: { method: "POST", path: "/refund" } })

    await expect(dintero.refundTransaction(transactionId, { amount: 500 })).rejects.toBeInstanceOf(DinteroError)
    expect(requestsTo("/refund")).toHaveLength(1)
  })

  it("a void whose answer timed out is settled by reading the transaction", async () => {
    const dintero = client({ timeoutMs: 1000 })
    const transactionId = await authorizedTransaction(dintero)
    emulator.injectFault({ kind: "timeout", phase: "after", delayMs: 1500, count: 1, match: { method: "POST", path: "/void" } })

    const voided = await dintero.voidTransaction(transactionId)
    expect(voided.status).toBe("AUTHORIZATION_VOIDED")
    expect(requestsTo("/void")).toHaveLength(1)
  })

  it("Dintero's refusal carries its code, message and request id", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(dintero)
    const error = await dintero.captureTransaction(transactionId, { amount: 99999, capture_reference: "too-much" }).catch((e) => e)
    expect(error).toBeInstanceOf(DinteroError)
    expect(error.status).toBe(400)
    expect(error.message).toMatch(/Dintero rejected POST .*capture with 400/)
    expect(error.requestId).toBeTruthy()
  })
})

describe("session update", () => {
  // checkout_session_put takes UpdateSessionOptions { order: SessionOrderUpdate, remove_lock }: the order has no
  // merchant_reference (fixed at creation), and remove_lock releases a lock the payer's checkout may hold.
  it("a changed cart updates the session with the spec's body: the reference stays, the payer's lock is released", async () => {
    const dintero = client()
    const session = await dintero.createSession({
      profile_id: "default",
      url: { return_url: "https://shop.example/return" },
      order: { amount: 10000, currency: "NOK", merchant_reference: "payses_1", items: [{ line_id: "1", quantity: 1, amount: 10000 }] },
    })
    const order = { amount: 25000, currency: "NOK", vat_amount: 5000, items: [{ line_id: "1", quantity: 1, amount: 25000, vat_amount: 5000 }] }
    // Even a caller that still passes a reference cannot get one into the update body.
    const updated = await dintero.updateSession(session.id, { ...order, merchant_reference: "payses_1" } as any)
    expect(updated.order).toMatchObject({ amount: 25000, merchant_reference: "payses_1" })
    const sent = requestsTo(`/sessions/${session.id}`).find((r: any) => r.method === "PUT") as any
    expect(sent.body).toEqual({ order, remove_lock: true })
  })
})

describe("merchant-initiated charges", () => {
  async function savedCardToken(dintero: DinteroClient, card = "4111111111111111") {
    const session = await dintero.createSession({
      profile_id: "default",
      url: { return_url: "https://shop.example/return" },
      order: { amount: 10000, currency: "NOK", merchant_reference: `first-${Math.random()}`, items: [{ line_id: "1", quantity: 1, amount: 10000 }] },
      configuration: { dintero_psp: { creditcard: { enabled: true, generate_payment_token: true } } },
    })
    const paid = await emulator.pay(session.id, { card })
    return (await dintero.getTransaction(paid.transactionId!, ["card.payment_token"])).card!.payment_token!
  }
  const charge = (token: string, reference: string) => ({
    session: {
      customer: { tokens: { "dintero_psp.creditcard": { payment_token: token } } },
      order: { amount: 5000, currency: "NOK", merchant_reference: reference, items: [{ line_id: "1", quantity: 1, amount: 5000 }] },
    },
    payment: { payment_product_type: "dintero_psp.creditcard" as const, operation: "unscheduled_purchase" as const },
  })

  it("a charge the issuer declines is a FAILED transaction (200), with the decline in its events", async () => {
    const dintero = client()
    const answer = await dintero.payWithStoredCard(charge(await savedCardToken(dintero, "4000000000000119"), "sub-1:2030-01"))
    expect(answer).toMatchObject({ kind: "transaction", transaction: { status: "FAILED", success: false } })
  })

  // checkout_session_pay_post answers 400 with `Error & SessionPayResult`: Dintero's refusal of the charge,
  // which the caller records like a decline, not a failure to talk to Dintero.
  it("a charge Dintero refuses with 400 and its pay result is a refusal with Dintero's code, not an error", async () => {
    const dintero = client()
    const token = await savedCardToken(dintero)
    emulator.revokeToken(token)
    const answer = await dintero.payWithStoredCard(charge(token, "sub-1:2030-02"))
    expect(answer).toMatchObject({ kind: "refused", refusal: { success: false, error: { code: "INVALID_TOKEN" } } })
    expect(JSON.stringify(answer)).not.toContain(token)
  })

  it("a 400 without a pay result is still an error", async () => {
    const dintero = client()
    const token = await savedCardToken(dintero)
    emulator.injectFault({ kind: "status", status: 400, count: 1, match: { method: "POST", path: "/sessions/pay" } })
    const error = await dintero.payWithStoredCard(charge(token, "sub-1:2030-03")).catch((e) => e)
    expect(error).toBeInstanceOf(DinteroError)
    expect(error.status).toBe(400)
  })
})

describe("a /sessions/pay 400 that carries the transaction", () => {
  it("is read as the transaction (FAILED, with its decline), like the 200 answer", async () => {
    const { createServer } = await import("node:http")
    const failed = {
      id: "T12345678.tx-1",
      session_id: "T12345678.ses-1",
      status: "FAILED",
      amount: 5000,
      currency: "NOK",
      success: false,
      error: { code: "DECLINED", message: "Declined" },
      events: [{ event: "AUTHORIZE", success: false, error: { code: "DECLINED", type: ["DECLINED"], retry_policy: { retry_codes: ["DO_NOT_RETRY"] } } }],
    }
    const server = createServer((req, res) => {
      res.setHeader("content-type", "application/json")
      if (req.url?.endsWith("/auth/token")) {
        res.end(JSON.stringify({ access_token: "t", token_type: "Bearer", expires_in: 3600 }))
      } else {
        res.statusCode = 400
        res.end(JSON.stringify(failed))
      }
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const base = `http://127.0.0.1:${(server.address() as any).port}/v1`
    const dintero = client({ apiBaseUrl: base, checkoutBaseUrl: base })
    try {
      const answer = await dintero.payWithStoredCard({
        session: {
          customer: { tokens: { "dintero_psp.creditcard": { payment_token: "tok" } } },
          order: { amount: 5000, currency: "NOK", merchant_reference: "sub-1:2030-04" },
        },
        payment: { payment_product_type: "dintero_psp.creditcard", operation: "unscheduled_purchase" },
      })
      expect(answer).toMatchObject({ kind: "transaction", transaction: { id: "T12345678.tx-1", status: "FAILED" } })
    } finally {
      await dintero.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})

describe("timeouts and answers that are not what Dintero sends", () => {
  // The timeout is undici's per-socket headers/body timer (http.ts), not a timer of ours per request: a Dintero
  // that never answers must still be given up on at the configured timeout, as an ambiguous failure.
  it("a Dintero that never answers is given up on at the configured timeout", async () => {
    const dintero = client({ timeoutMs: 400, retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 100 } })
    const transactionId = await authorizedTransaction(dintero)
    emulator.injectFault({ kind: "timeout", count: 1, match: { method: "GET", path: "/transactions/" } })
    const started = Date.now()
    const error = await dintero.getTransaction(transactionId).catch((e) => e)
    const waited = Date.now() - started
    expect(error).toBeInstanceOf(DinteroError)
    expect(error.isAmbiguous).toBe(true)
    expect(error.message).toMatch(/no response \(timeout or connection reset\)/)
    expect(waited).toBeGreaterThanOrEqual(350)
    // Generous upper bound (a loaded CI machine), far below undici's default of 300 s.
    expect(waited).toBeLessThan(5000)
    await dintero.close()
  })

  async function serverAnswering(status: number, body: string, contentType = "application/json") {
    const { createServer } = await import("node:http")
    const server = createServer((req, res) => {
      if (req.url?.endsWith("/auth/token")) {
        res.setHeader("content-type", "application/json")
        res.end(JSON.stringify({ access_token: "t", token_type: "Bearer", expires_in: 3600 }))
        return
      }
      res.statusCode = status
      res.setHeader("content-type", contentType)
      res.setHeader("request-id", "rid-42")
      res.end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const base = `http://127.0.0.1:${(server.address() as any).port}/v1`
    return { base, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
  }

  it("a 200 whose body is not JSON is a clear DinteroError naming the call and Dintero's request id", async () => {
    const server = await serverAnswering(200, "<html>Bad gateway</html>", "text/html")
    const dintero = client({ apiBaseUrl: server.base, checkoutBaseUrl: server.base })
    try {
      const error = await dintero.getTransaction("T12345678.tx-1").catch((e) => e)
      expect(error).toBeInstanceOf(DinteroError)
      expect(error.details).toMatchObject({ kind: "invalid_response", status: 200, requestId: "rid-42" })
      expect(error.message).toBe("Dintero answered GET /v1/transactions/T12345678.tx-1 with a body that is not JSON")
    } finally {
      await dintero.close()
      await server.close()
    }
  })

  it("a 200 whose JSON is not a transaction names the fields that are wrong", async () => {
    const server = await serverAnswering(200, JSON.stringify({ id: "T12345678.tx-1", status: "WHATEVER", amount: "10" }))
    const dintero = client({ apiBaseUrl: server.base, checkoutBaseUrl: server.base })
    try {
      const error = await dintero.getTransaction("T12345678.tx-1").catch((e) => e)
      expect(error).toBeInstanceOf(DinteroError)
      expect(error.details.kind).toBe("invalid_response")
      expect(error.message).toMatch(/unexpected body \(fields: .*status.*amount.*currency/)
    } finally {
      await dintero.close()
      await server.close()
    }
  })
})

describe("request paths and queries", () => {
  it("list filters go out as a query string, repeated for several statuses, and find the transaction", async () => {
    const dintero = client()
    const transactionId = await authorizedTransaction(dintero)
    const transaction = await dintero.getTransaction(transactionId)
    const listed = await dintero.listTransactions({ sessionId: transaction.session_id!, status: ["AUTHORIZED", "CAPTURED"], limit: 5 })
    expect(listed.map((t) => t.id)).toEqual([transactionId])
    const sent = requestsTo("/transactions").find((r: any) => r.method === "GET" && r.path === "/v1/transactions") as any
    expect(sent.query).toEqual({ session_id: transaction.session_id, status: ["AUTHORIZED", "CAPTURED"], limit: "5" })
  })
})

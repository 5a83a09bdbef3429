import type { ZodType } from "zod"
import * as schemas from "../schemas"
import { validators } from "../validators"

/**
 * The client checks requests and answers with the compiled validators (validators.ts). They must accept and refuse
 * exactly what the schemas of schemas.ts do, with the same output and the same issues: these values are compared
 * through both, and the refused ones must be refused.
 */

const order = {
  amount: 10000,
  currency: "NOK",
  vat_amount: 2000,
  merchant_reference: "order-1",
  items: [{ line_id: "1", quantity: 1, amount: 10000, vat_amount: 2000, vat: 25, description: "Sweater" }],
}
const transaction = {
  id: "T12345678.tx",
  session_id: "T12345678.s",
  merchant_reference: "order-1",
  amount: 10000,
  currency: "NOK",
  status: "CAPTURED",
  payment_product: "dintero_psp",
  payment_product_type: "dintero_psp.creditcard",
  items: [{ line_id: "1", quantity: 1, amount: 10000 }],
  card: { brand: "Visa", masked_pan: "411111******1111", payment_token: "secret-token", payment_token_id: "p-1" },
  url: {},
  metadata: {},
  created_at: "2026-12-06T06:47:04.237Z",
  updated_at: "2026-12-06T06:47:04.328Z",
  events: [
    { id: "e1", event: "AUTHORIZE", transaction_status: "AUTHORIZED", amount: 10000, success: true, request_id: "r1" },
    { id: "e2", event: "CAPTURE", amount: 10000, event_reference: "c1", success: true, transaction_status: "CAPTURED", error: null },
  ],
}
const session = {
  id: "T12345678.s",
  expires_at: "2026-12-07T06:47:04.228Z",
  url: { return_url: "https://shop.example/return" },
  order,
  metadata: { "session:profile_id": "default" },
  events: [{ id: "e1", name: "INITIATED", created_at: "2026-12-06T06:47:04.229Z" }],
  transaction_id: null,
}
const charge = {
  session: {
    customer: { tokens: { "dintero_psp.creditcard": { payment_token: "abc" } } },
    order,
    configuration: { auto_capture: false },
  },
  payment: { payment_product_type: "dintero_psp.creditcard", operation: "unscheduled_purchase" },
}

type Case = { name: string; schema: ZodType; compiled: ZodType; accepted: unknown[]; refused: unknown[] }
const cases: Case[] = [
  {
    name: "create session request",
    schema: schemas.createSessionRequestSchema,
    compiled: validators.createSessionRequest,
    accepted: [
      { profile_id: "default", url: { return_url: "https://shop.example/return" }, order },
      { profile_id: "p", url: { return_url: "http://localhost:9000/r", callback_url: "https://x.example/cb?a=1" }, order, extra: 1 },
    ],
    refused: [
      { profile_id: "default", url: { return_url: "not a url" }, order },
      { profile_id: "default", url: { return_url: "https://shop.example/return" }, order: { ...order, currency: "nok" } },
      { profile_id: "default", url: { return_url: "https://shop.example/return" }, order: { ...order, amount: 10.5 } },
      { profile_id: "default", url: { return_url: "https://shop.example/return" }, order: { ...order, amount: -1 } },
      { profile_id: "", url: { return_url: "https://shop.example/return" }, order },
      { profile_id: "default", url: { return_url: "https://shop.example/return" }, order: { ...order, items: [{ line_id: "1", quantity: 0, amount: 1 }] } },
      { profile_id: "default", url: { return_url: "https://shop.example/return" }, order, customer: { phone_number: "12" } },
    ],
  },
  {
    name: "update session request",
    schema: schemas.updateSessionRequestSchema,
    compiled: validators.updateSessionRequest,
    accepted: [{ order, remove_lock: true }],
    refused: [{ order, remove_lock: "yes" }, { order: { ...order, vat_amount: "1" }, remove_lock: true }],
  },
  {
    name: "sessions/pay request",
    schema: schemas.sessionPayRequestSchema,
    compiled: validators.sessionPayRequest,
    accepted: [charge],
    refused: [
      { ...charge, payment: { ...charge.payment, operation: "purchase" } },
      { ...charge, session: { ...charge.session, customer: { tokens: { "nets.creditcard": { payment_token: "x" } } } } },
      { ...charge, session: { ...charge.session, url: { callback_url: "nope" } } },
    ],
  },
  {
    name: "capture request",
    schema: schemas.captureRequestSchema,
    compiled: validators.captureRequest,
    accepted: [{ amount: 1, capture_reference: "c" }, { amount: 5, items: [{ line_id: "1", quantity: 1, amount: 5 }] }],
    refused: [{ amount: 0 }, { amount: 1.5 }, { amount: "1" }, {}],
  },
  {
    name: "transaction",
    schema: schemas.transactionSchema,
    compiled: validators.transaction,
    accepted: [transaction, { id: "T1", status: "AUTHORIZED", amount: 0, currency: "NOK" }],
    refused: [
      { id: "T1", status: "WHATEVER", amount: "10" },
      { ...transaction, amount: 1.5 },
      { ...transaction, events: [{ event: 7 }] },
      { ...transaction, events: [{ ...transaction.events[0], success: "yes" }] },
      { ...transaction, card: { brand: 3 } },
      { ...transaction, metadata: [] },
      null,
      [],
    ],
  },
  {
    name: "transaction list",
    schema: schemas.transactionListSchema,
    compiled: validators.transactionList,
    accepted: [[], [transaction, transaction]],
    refused: [{}, [transaction, { ...transaction, status: undefined }]],
  },
  {
    name: "session",
    schema: schemas.sessionSchema,
    compiled: validators.session,
    accepted: [session, { id: "s" }],
    refused: [{ ...session, order: { currency: "NOK" } }, { ...session, events: [{}] }, { ...session, transaction_id: 5 }],
  },
  {
    name: "sessions/pay answer",
    schema: schemas.sessionPayRefusedSchema,
    compiled: validators.sessionPayRefused,
    accepted: [
      { ...transaction, success: true },
      { success: false, error: { code: "NOT_FOUND", message: "no such token" }, session_id: "s" },
    ],
    refused: [{ success: false }, { success: true, error: {} }],
  },
  {
    name: "access token",
    schema: schemas.accessTokenSchema,
    compiled: validators.accessToken,
    accepted: [{ access_token: "a", token_type: "Bearer", expires_in: 3600 }],
    refused: [{ access_token: "", token_type: "Bearer", expires_in: 3600 }, { access_token: "a", token_type: "Bearer", expires_in: 0 }],
  },
]

const outcome = (schema: ZodType, value: unknown) => {
  const parsed = schema.safeParse(value)
  return parsed.success
    ? { success: true, data: parsed.data }
    : { success: false, issues: parsed.error.issues.map(({ code, path, message }) => ({ code, path, message })) }
}

describe.each(cases)("$name: the compiled validator agrees with the schema", ({ schema, compiled, accepted, refused }) => {
  it("accepts the same values, with the same output", () => {
    for (const value of accepted) {
      const expected = outcome(schema, value)
      expect(expected.success).toBe(true)
      expect(outcome(compiled, value)).toEqual(expected)
    }
  })

  it("refuses the same values, naming the same fields", () => {
    for (const value of refused) {
      const expected = outcome(schema, value)
      expect(expected.success).toBe(false)
      expect(outcome(compiled, value)).toEqual(expected)
    }
  })
})

it("every validator the client uses is compiled (none is an uncompiled schema)", () => {
  expect(Object.keys(validators)).toHaveLength(14)
  for (const validator of Object.values(validators)) {
    expect(Object.values(schemas)).not.toContain(validator)
  }
})

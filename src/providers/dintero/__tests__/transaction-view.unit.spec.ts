import type { Transaction } from "../../../lib/dintero"
import { backofficeLink, transactionView } from "../transaction-view"

const tx = (overrides: Partial<Transaction> & { events?: object[] }): Transaction =>
  ({
    id: "T12345678.abc",
    status: "AUTHORIZED",
    amount: 10000,
    currency: "nok",
    payment_product: "dintero_psp",
    payment_product_type: "dintero_psp.creditcard",
    ...overrides,
    events: [{ event: "AUTHORIZE", amount: 10000, success: true, created_at: "2026-01-01T00:00:00Z" }, ...(overrides.events ?? [])],
  }) as Transaction

describe("the admin panel's view of a Dintero transaction", () => {
  it("links the transaction in Dintero's Backoffice under the account, test or production by its prefix", () => {
    expect(backofficeLink("T12345678", "T12345678.abc")).toEqual({
      url: "https://backoffice.dintero.com/T12345678/payments/transactions/T12345678.abc",
      environment: "test",
    })
    expect(backofficeLink("P87654321", "P87654321.x/y").url).toBe("https://backoffice.dintero.com/P87654321/payments/transactions/P87654321.x%2Fy")
    expect(backofficeLink("P87654321", "P87654321.x").environment).toBe("production")
  })

  it("counts captures under way as not capturable, and a refund under way as not refundable", () => {
    const view = transactionView(
      tx({
        status: "PARTIALLY_CAPTURED",
        events: [
          { event: "CAPTURE", amount: 3000, success: true, event_reference: "capt_1" },
          { event: "INITIATE_CAPTURE", amount: 2000, success: true, request_id: "r1" },
          { event: "INITIATE_REFUND", amount: 1000, success: true, request_id: "r2" },
        ],
      }),
      "T12345678"
    )
    expect(view.amounts).toEqual({
      currency: "NOK",
      decimals: 2,
      authorized: 10000,
      captured: 3000,
      refunded: 0,
      released: 0,
      capturing: 2000,
      refunding: 1000,
      capturable: 5000,
      refundable: 2000,
    })
  })

  it("a voided authorization is released whole and nothing is capturable; a void after a part-capture releases the rest", () => {
    expect(transactionView(tx({ status: "AUTHORIZATION_VOIDED", events: [{ event: "VOID", success: true }] }), "T12345678").amounts).toMatchObject({
      released: 10000,
      capturable: 0,
    })
    const partly = transactionView(
      tx({
        status: "CAPTURED",
        payment_product_type: "payex.creditcard",
        events: [
          { event: "CAPTURE", amount: 4000, success: true },
          { event: "VOID", amount: 6000, success: true },
        ],
      }),
      "T12345678"
    )
    expect(partly.amounts).toMatchObject({ captured: 4000, released: 6000, capturable: 0 })
    expect(partly.release).toEqual({ possible: false, reason: "Nothing is left to release." })
  })

  it("says why the rest cannot be released for a product without a void after a part-capture", () => {
    const view = transactionView(tx({ status: "PARTIALLY_CAPTURED", events: [{ event: "CAPTURE", amount: 4000, success: true }] }), "T12345678")
    expect(view.release.possible).toBe(false)
    expect(view.release.reason).toMatch(/dintero_psp\.creditcard does not support a void after a partial capture/)
    expect(view.final_capture).toEqual({ possible: true, reason: null })
  })

  it("keeps only the card's brand, masked number and expiry: never a token, the customer or addresses", () => {
    const view = transactionView(
      tx({
        card: { brand: "VISA", masked_pan: "411111******1111", expiry_date: "12/30", payment_token: "secret-token", recurrence_token: "secret-recurrence" },
        customer: { email: "kari@example.com" },
        billing_address: { first_name: "Kari" },
      } as Partial<Transaction>),
      "T12345678"
    )
    expect(view.payment_method).toEqual({
      label: "Card",
      payment_product: "dintero_psp",
      payment_product_type: "dintero_psp.creditcard",
      card: { brand: "VISA", masked_pan: "411111******1111", expiry_date: "12/30" },
    })
    expect(JSON.stringify(view)).not.toMatch(/secret-token|secret-recurrence|kari@example\.com|Kari/)
  })

  it("marks Medusa's own operations by their reference and keeps a declined event's error", () => {
    const view = transactionView(
      tx({
        status: "PARTIALLY_CAPTURED",
        events: [
          { event: "CAPTURE", amount: 1000, success: true, event_reference: "capt_01ABC" },
          { event: "CAPTURE", amount: 500, success: true },
          { event: "REFUND", amount: 100, success: false, error: { code: "REFUSED", message: "Refund refused" } },
        ],
      }),
      "T12345678"
    )
    expect(view.events.map((e) => [e.event, e.made_by_medusa, e.success])).toEqual([
      ["AUTHORIZE", false, true],
      ["CAPTURE", true, true],
      ["CAPTURE", false, true],
      ["REFUND", false, false],
    ])
    expect(view.events[3].error).toEqual({ code: "REFUSED", message: "Refund refused" })
    expect(view.amounts).toMatchObject({ captured: 1500, refunded: 0 })
  })
})

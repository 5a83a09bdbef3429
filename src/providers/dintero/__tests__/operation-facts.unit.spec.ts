import type { Transaction } from "../../../lib/dintero"
import { moneyFacts } from "../operation-facts"

const transaction = (events: Array<Record<string, unknown>>, status = "PARTIALLY_CAPTURED"): Transaction =>
  ({ id: "T12345678.tx", amount: 80875, currency: "NOK", status, events: [{ event: "AUTHORIZE", amount: 80875, success: true }, ...events] }) as unknown as Transaction

describe("what a transaction shows of money moved after the payment", () => {
  it("tells operations made outside the plugin (no Medusa capture/refund id as reference) from its own", () => {
    const facts = moneyFacts(
      transaction([
        { event: "CAPTURE", amount: 30000, success: true, event_reference: "capt_01ABC" },
        { event: "CAPTURE", amount: 12345, success: true, created_by: "someone@merchant" },
        { event: "REFUND", amount: 999, success: true },
        { event: "REFUND", amount: 100, success: true, event_reference: "ref_01DEF" },
        { event: "CAPTURE", amount: 5, success: false },
      ])
    )
    expect(facts).toMatchObject({ captured: 42345, captured_outside: 12345, refunded: 1099, refunded_outside: 999, voided: false })
    expect(facts.operations.map((o) => [o.event, o.amount, o.reference ?? null])).toEqual([
      ["CAPTURE", 30000, "capt_01ABC"],
      ["CAPTURE", 12345, null],
      ["REFUND", 999, null],
      ["REFUND", 100, "ref_01DEF"],
    ])
  })

  it("counts only completed operations: one answered 202 has moved nothing yet", () => {
    const facts = moneyFacts(transaction([{ event: "INITIATE_CAPTURE", amount: 30000, success: true, request_id: "r1" }], "AUTHORIZED"))
    expect(facts).toMatchObject({ captured: 0, captured_outside: 0 })
  })

  it("a void, of the whole authorization or of the rest after a part-capture", () => {
    expect(moneyFacts(transaction([{ event: "VOID", amount: 80875, success: true }], "AUTHORIZATION_VOIDED")).voided).toBe(true)
    expect(
      moneyFacts(transaction([{ event: "CAPTURE", amount: 100, success: true }, { event: "VOID", amount: 80775, success: true }], "CAPTURED")).voided
    ).toBe(true)
  })
})

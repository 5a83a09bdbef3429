import fc from "fast-check"
import type { DinteroMoneyFacts } from "../../../providers/dintero/operation-facts"
import { planOperationRecords, type MedusaMoneyRecords } from "../operation-records"

const facts = (overrides: Partial<DinteroMoneyFacts> = {}): DinteroMoneyFacts => ({
  transaction_id: "T12345678.tx",
  status: "AUTHORIZED",
  currency: "NOK",
  authorized: 80875,
  captured: 0,
  refunded: 0,
  captured_outside: 0,
  refunded_outside: 0,
  voided: false,
  operations: [],
  ...overrides,
})
const medusa = (overrides: Partial<MedusaMoneyRecords> = {}): MedusaMoneyRecords => ({
  payment_id: "pay_1",
  currency: "NOK",
  canceled: false,
  has_order: true,
  captured: 0,
  refunded: 0,
  captured_from_dintero: 0,
  refunded_from_dintero: 0,
  ...overrides,
})

/** Medusa's records once the plan is carried out. */
function apply(records: MedusaMoneyRecords, plan: ReturnType<typeof planOperationRecords>): MedusaMoneyRecords {
  return {
    ...records,
    canceled: records.canceled || plan.cancel,
    captured: records.captured + plan.capture,
    refunded: records.refunded + plan.refund,
    captured_from_dintero: records.captured_from_dintero + plan.capture,
    refunded_from_dintero: records.refunded_from_dintero + plan.refund,
  }
}

describe("what Medusa records of the operations made in Dintero's Backoffice", () => {
  it("a Backoffice capture and refund are recorded with their exact amounts", () => {
    const plan = planOperationRecords(facts({ captured: 42346, captured_outside: 42346, refunded: 999, refunded_outside: 999 }), medusa())
    expect(plan).toMatchObject({ capture: 42346, refund: 999, cancel: false, waiting: [] })
  })

  it("a REFUND reported before its CAPTURE: the transaction shows both, so the capture is recorded with the refund", () => {
    const plan = planOperationRecords(facts({ captured: 80875, captured_outside: 80875, refunded: 10000, refunded_outside: 10000 }), medusa())
    expect(plan).toMatchObject({ capture: 80875, refund: 10000 })
  })

  it("operations Medusa made itself (its references) are never recorded again", () => {
    const own = facts({ captured: 30000, refunded: 10000 })
    expect(planOperationRecords(own, medusa({ captured: 30000, refunded: 10000 }))).toMatchObject({ capture: 0, refund: 0 })
    // Its answer lost and its record dropped: left to the admin's retry, which adopts it.
    expect(planOperationRecords(own, medusa())).toMatchObject({ capture: 0, refund: 0 })
  })

  it("Backoffice money an admin's capture already adopted is not recorded a second time", () => {
    // Backoffice captured 500 while an admin's capture of 300 was under way; that capture adopted 300 of it.
    const plan = planOperationRecords(facts({ captured: 50000, captured_outside: 50000 }), medusa({ captured: 30000 }))
    expect(plan.capture).toBe(20000)
  })

  it("a void cancels Medusa's payment once; a capture on a payment Medusa canceled is not recorded but said", () => {
    expect(planOperationRecords(facts({ voided: true, status: "AUTHORIZATION_VOIDED" }), medusa()).cancel).toBe(true)
    expect(planOperationRecords(facts({ voided: true }), medusa({ canceled: true })).cancel).toBe(false)
    const plan = planOperationRecords(facts({ captured: 100, captured_outside: 100 }), medusa({ canceled: true }))
    expect(plan).toMatchObject({ capture: 0, waiting: [expect.stringMatching(/canceled/)] })
  })

  it("a refund beyond what Medusa shows captured waits (an own capture whose answer was lost, not yet retried)", () => {
    const plan = planOperationRecords(facts({ captured: 30000, refunded: 10000, refunded_outside: 10000 }), medusa())
    expect(plan).toMatchObject({ capture: 0, refund: 0, waiting: [expect.stringMatching(/refund of 10000/)] })
  })

  it("property: recording the plan leaves nothing to record, never more than Dintero shows nor than was moved outside", () => {
    const amount = fc.integer({ min: 0, max: 100_000 })
    fc.assert(
      fc.property(amount, amount, amount, amount, amount, amount, amount, amount, fc.boolean(), fc.boolean(), (ownCaptured, outCaptured, ownRefunded, outRefunded, recordedOwnCapture, recordedOwnRefund, fromDinteroCapture, fromDinteroRefund, voided, canceled) => {
        const captured = ownCaptured + outCaptured
        const refunded = Math.min(ownRefunded + outRefunded, captured)
        const dintero = facts({ captured, refunded, captured_outside: outCaptured, refunded_outside: Math.min(outRefunded, refunded), voided })
        const records = medusa({
          canceled,
          captured: Math.min(recordedOwnCapture, ownCaptured) + Math.min(fromDinteroCapture, outCaptured),
          captured_from_dintero: Math.min(fromDinteroCapture, outCaptured),
          refunded: 0,
          refunded_from_dintero: 0,
        })
        records.refunded = Math.min(Math.min(recordedOwnRefund, ownRefunded) + Math.min(fromDinteroRefund, dintero.refunded_outside), records.captured)
        records.refunded_from_dintero = Math.min(Math.min(fromDinteroRefund, dintero.refunded_outside), records.refunded)
        const plan = planOperationRecords(dintero, records)
        const after = apply(records, plan)
        const again = planOperationRecords(dintero, after)
        expect(plan.capture).toBeGreaterThanOrEqual(0)
        expect(plan.refund).toBeGreaterThanOrEqual(0)
        expect([again.capture, again.refund, again.cancel]).toEqual([0, 0, false])
        expect(after.captured).toBeLessThanOrEqual(Math.max(captured, records.captured))
        expect(after.captured_from_dintero).toBeLessThanOrEqual(Math.max(outCaptured, records.captured_from_dintero))
        expect(after.refunded).toBeLessThanOrEqual(after.captured)
      }),
      { numRuns: 500 }
    )
  })
})

import type { Transaction } from "../../../lib/dintero"
import { amountToSend, hasOperation, movedByDintero, requestedMinorUnits } from "../money-reconciliation"

const tx = (events: Array<Record<string, unknown>>, status = "PARTIALLY_CAPTURED") =>
  ({ id: "T12345678.tx", amount: 80875, currency: "NOK", status, events }) as unknown as Transaction

describe("captures and refunds reconciled with Medusa's records", () => {
  it("sends what Medusa recorded and Dintero has not moved, never more than requested", () => {
    // First attempt of 300 NOK moved at Dintero, its Medusa record deleted; the retry of 300 NOK sends nothing.
    expect(amountToSend({ requested: 30000, recordedTotal: 30000 }, 30000)).toEqual({ send: 0, adopted: 30000 })
    // No earlier attempt: everything requested is sent.
    expect(amountToSend({ requested: 10000, recordedTotal: 20000 }, 10000)).toEqual({ send: 10000, adopted: 0 })
    // Another request recorded but not yet sent is not mistaken for an orphan.
    expect(amountToSend({ requested: 20000, recordedTotal: 50000 }, 0)).toEqual({ send: 20000, adopted: 0 })
    // An orphan of 300 while 200 is asked: nothing is sent again.
    expect(amountToSend({ requested: 20000, recordedTotal: 20000 }, 30000)).toEqual({ send: 0, adopted: 20000 })
  })

  it("counts money Dintero is still processing (202, INITIATE_*) as moved until its completion arrives", () => {
    const pending = tx([{ event: "INITIATE_CAPTURE", amount: 30000, request_id: "r1", event_reference: "capt_1", success: true }])
    expect(movedByDintero(pending, "CAPTURE")).toBe(30000)
    expect(hasOperation(pending, "CAPTURE", "capt_1")).toBe(true)
    const completed = tx([
      { event: "INITIATE_CAPTURE", amount: 30000, request_id: "r1", success: true },
      { event: "CAPTURE", amount: 30000, correlation_request_id: "r1", success: true },
    ])
    expect(movedByDintero(completed, "CAPTURE")).toBe(30000)
    const refunds = tx(
      [
        { event: "CAPTURE", amount: 80875, success: true },
        { event: "REFUND", amount: 10000, success: true },
        { event: "REFUND", amount: 5000, success: false },
        { event: "INITIATE_REFUND", amount: 2000, request_id: "r2", success: true },
      ],
      "PARTIALLY_REFUNDED"
    )
    expect(movedByDintero(refunds, "REFUND")).toBe(12000)
  })

  it("moves only whole minor units, except the whole payment as it was authorized", () => {
    expect(requestedMinorUnits("300", "NOK")).toBe(30000)
    expect(() => requestedMinorUnits("100.005", "NOK")).toThrow(/100\.005 NOK is not a whole number/)
    expect(requestedMinorUnits("808.745", "NOK", { paymentAmount: "808.745", authorizedMinor: 80875 })).toBe(80875)
    expect(() => requestedMinorUnits("1.5", "JPY")).toThrow(/JPY/)
    expect(requestedMinorUnits("1.234", "KWD")).toBe(1234)
  })
})

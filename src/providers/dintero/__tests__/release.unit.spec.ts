import type { Transaction } from "../../../lib/dintero"
import { finalCaptureMethod, releasePlan } from "../release"

const tx = (product: string, status: Transaction["status"], events: object[]): Transaction =>
  ({
    id: "T12345678.tx",
    status,
    amount: 10000,
    currency: "NOK",
    payment_product_type: product,
    events: [{ event: "AUTHORIZE", amount: 10000, success: true }, ...events],
  }) as Transaction

describe("releasing the uncaptured rest of a part-captured transaction", () => {
  it("voids the rest where the product allows a void after a part-capture, whatever was refunded", () => {
    const captured = [{ event: "CAPTURE", amount: 3000, success: true }]
    expect(releasePlan(tx("payex.creditcard", "PARTIALLY_CAPTURED", captured))).toEqual({ action: "void", uncaptured: 7000 })
    const refunded = [...captured, { event: "REFUND", amount: 3000, success: true }]
    expect(releasePlan(tx("klarna.klarna", "PARTIALLY_CAPTURED_REFUNDED", refunded))).toEqual({ action: "void", uncaptured: 7000 })
  })

  it("counts a capture under way as captured, and a released rest as gone", () => {
    const underWay = [
      { event: "CAPTURE", amount: 3000, success: true },
      { event: "INITIATE_CAPTURE", amount: 7000, success: true, request_id: "r1" },
    ]
    expect(releasePlan(tx("payex.creditcard", "PARTIALLY_CAPTURED", underWay)).action).toBe("none")
    const released = [{ event: "CAPTURE", amount: 3000, success: true }, { event: "VOID", amount: 7000, success: true }]
    expect(releasePlan(tx("payex.creditcard", "CAPTURED", released)).action).toBe("none")
  })

  it("refuses with the reason for products without a void after a part-capture", () => {
    const plan = releasePlan(tx("dintero_psp.creditcard", "PARTIALLY_CAPTURED", [{ event: "CAPTURE", amount: 3000, success: true }]))
    expect(plan).toMatchObject({ action: "refused", uncaptured: 7000 })
    expect((plan as { reason: string }).reason).toMatch(/dintero_psp\.creditcard does not support a void after a partial capture.*final_capture/)
  })

  it("a final capture uses final_capture for Dintero PSP, a void for the listed products, and is refused otherwise", () => {
    expect(finalCaptureMethod(tx("dintero_psp.creditcard", "AUTHORIZED", []))).toEqual({ method: "final_capture" })
    expect(finalCaptureMethod(tx("vipps", "AUTHORIZED", []))).toEqual({ method: "void" })
    expect(finalCaptureMethod(tx("bambora.creditcard", "AUTHORIZED", []))).toMatchObject({ method: "refused" })
  })
})

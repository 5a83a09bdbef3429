import { capabilitiesOf, partialCaptureRefusal, paymentMethodLabel } from "../payment-products"
import { finalCaptureMethod, releasePlan, VOID_AFTER_PART_CAPTURE } from "../release"

describe("what the plugin asks Dintero for, per payment product", () => {
  it("names the method a merchant recognises, and Dintero's type for one it does not know", () => {
    expect(["vipps", "swish.swish", "collector.invoice", "instabank.invoice", "klarna.klarna"].map(paymentMethodLabel)).toEqual([
      "Vipps",
      "Swish",
      "Walley invoice",
      "Instabank invoice",
      "Klarna",
    ])
    expect(paymentMethodLabel("santander.debit_account")).toBe("santander.debit_account")
    expect(paymentMethodLabel(undefined)).toBeUndefined()
  })

  it("Swish is captured when paid and cannot be voided; Walley and Instabank need the order lines", () => {
    expect(capabilitiesOf("swish.swish")).toMatchObject({ capturedAtPayment: true, voidable: false, partialCapture: false })
    expect(capabilitiesOf("collector.invoice").itemsRequired).toBe(true)
    expect(capabilitiesOf("instabank.invoice").itemsRequired).toBe(true)
    for (const type of ["vipps", "klarna.klarna", "dintero_psp.creditcard", "unknown.thing"]) {
      expect(capabilitiesOf(type)).toMatchObject({ voidable: true, partialCapture: true, itemsRequired: false, capturedAtPayment: false })
    }
  })

  it("the rest after a part-capture is voided only for the products Dintero's void documentation lists", () => {
    expect([...VOID_AFTER_PART_CAPTURE].sort()).toEqual(
      ["payex.creditcard", "payex.mobilepay", "payex.vipps", "payex.applepay", "payex.clicktopay", "payex.googlepay", "vipps", "klarna.klarna", "klarna.billie"].sort()
    )
    const partCaptured = (type: string) =>
      ({ id: "T1", amount: 1000, currency: "NOK", status: "PARTIALLY_CAPTURED", payment_product_type: type, events: [{ event: "CAPTURE", amount: 400, success: true }] }) as any
    expect(releasePlan(partCaptured("vipps")).action).toBe("void")
    expect(releasePlan(partCaptured("collector.invoice")).action).toBe("refused")
    expect(finalCaptureMethod(partCaptured("klarna.klarna")).method).toBe("void")
    expect(finalCaptureMethod(partCaptured("dintero_psp.vipps")).method).toBe("final_capture")
    expect(finalCaptureMethod(partCaptured("instabank.invoice")).method).toBe("refused")
  })

  it("a partial capture is refused only where the product cannot capture in parts", () => {
    expect(partialCaptureRefusal("vipps", 100, 1000)).toBeUndefined()
    expect(partialCaptureRefusal("swish.swish", 1000, 1000)).toBeUndefined()
    expect(partialCaptureRefusal("swish.swish", 100, 1000)).toMatch(/Swish payments \(swish\.swish\) cannot be captured in part/)
  })
})

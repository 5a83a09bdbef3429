import { captureAmountError } from "../capture-amount"
import { refundAmountError } from "../refund-amount"
import { minorToMajor, parseMajorToMinor } from "../money"

const card = { amounts: { currency: "NOK", decimals: 2 }, partial_capture: true, payment_method: { label: "Card" } } as any

describe("the panel's capture amount, checked before it is sent", () => {
  it("reads a major-unit amount as whole minor units, refusing more decimals than the currency has", () => {
    expect(parseMajorToMinor("8.75", 2)).toBe(875)
    expect(parseMajorToMinor("8,7", 2)).toBe(870)
    expect(parseMajorToMinor("8.750", 2)).toBe(875)
    expect(parseMajorToMinor("8.755", 2)).toBeUndefined()
    expect(parseMajorToMinor("100", 0)).toBe(100)
    expect(parseMajorToMinor("1.5", 0)).toBeUndefined()
    expect(parseMajorToMinor("1.234", 3)).toBe(1234)
    expect(parseMajorToMinor("-1", 2)).toBeUndefined()
    expect(parseMajorToMinor("1e3", 2)).toBeUndefined()
    expect(minorToMajor(875, 2)).toBe(8.75)
    expect(minorToMajor(1234, 3)).toBe(1.234)
  })

  it("accepts up to what is left, and says how much is left otherwise", () => {
    expect(captureAmountError("8.75", 875, card)).toBeUndefined()
    expect(captureAmountError("8.76", 875, card)).toMatch(/At most .*8\.75.* can still be captured/)
    expect(captureAmountError("0", 875, card)).toMatch(/greater than zero/)
    expect(captureAmountError("", 875, card)).toMatch(/Enter the amount/)
    expect(captureAmountError("1.001", 875, card)).toMatch(/at most 2 decimals/)
  })

  it("asks for all of it where the product cannot capture in part", () => {
    const whole = { ...card, partial_capture: false, payment_method: { label: "Swish" } }
    expect(captureAmountError("5", 875, whole)).toMatch(/Swish payments are captured in full/)
    expect(captureAmountError("8.75", 875, whole)).toBeUndefined()
  })
})

describe("the panel's refund amount, checked before it is sent", () => {
  const amounts = { currency: "NOK", decimals: 2 }
  it("accepts up to what is captured and not refunded, and says how much that is otherwise", () => {
    expect(refundAmountError("2.50", 250, amounts)).toBeUndefined()
    expect(refundAmountError("2.51", 250, amounts)).toMatch(/At most .*2\.50.* can be refunded/)
    expect(refundAmountError("0", 250, amounts)).toMatch(/greater than zero/)
    expect(refundAmountError(" ", 250, amounts)).toMatch(/Enter the amount/)
    expect(refundAmountError("1.001", 250, amounts)).toMatch(/at most 2 decimals/)
  })
})

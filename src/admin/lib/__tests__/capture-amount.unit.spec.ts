import { captureAmountError } from "../capture-amount"
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

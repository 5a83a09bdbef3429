import { fromMinorUnits, minorUnitExponent, toExactMinorUnits, toMinorUnits } from "../money"

describe("amounts in minor units", () => {
  it("converts two-decimal currencies exactly, without float drift", () => {
    expect(toMinorUnits("299.90", "NOK")).toBe(29990)
    expect(toMinorUnits(299.9, "nok")).toBe(29990)
    expect(toMinorUnits(0.1 + 0.2, "SEK")).toBe(30)
    expect(toMinorUnits("1234567.89", "DKK")).toBe(123456789)
    expect(toMinorUnits(19.99, "EUR")).toBe(1999)
  })

  it("converts zero-decimal currencies without multiplying", () => {
    expect(minorUnitExponent("JPY")).toBe(0)
    expect(toMinorUnits("1500", "JPY")).toBe(1500)
    expect(toMinorUnits(1500, "ISK")).toBe(1500)
  })

  it("converts three-decimal currencies", () => {
    expect(toMinorUnits("12.345", "KWD")).toBe(12345)
    expect(toMinorUnits("0.5", "BHD")).toBe(500)
  })

  it("rounds half away from zero when Medusa carries more digits than the currency has", () => {
    expect(toMinorUnits("10.005", "NOK")).toBe(1001)
    expect(toMinorUnits("10.0049", "NOK")).toBe(1000)
    expect(toMinorUnits("7.5", "JPY")).toBe(8)
  })

  it("moves money only in whole minor units: an amount between two øre, yen or fils is not rounded", () => {
    expect(toExactMinorUnits("100.005", "NOK")).toBeUndefined()
    expect(toExactMinorUnits(100.005, "NOK")).toBeUndefined()
    expect(toExactMinorUnits("100.0050", "NOK")).toBeUndefined()
    expect(toExactMinorUnits("100.0100", "NOK")).toBe(10001)
    expect(toExactMinorUnits(808.75, "NOK")).toBe(80875)
    expect(toExactMinorUnits("1500.5", "JPY")).toBeUndefined()
    expect(toExactMinorUnits("1500.0", "JPY")).toBe(1500)
    expect(toExactMinorUnits("12.3456", "KWD")).toBeUndefined()
    expect(toExactMinorUnits("12.3450", "KWD")).toBe(12345)
    expect(() => toExactMinorUnits("12,50", "NOK")).toThrow(/Not a decimal amount/)
  })

  it("refuses anything that is not a plain decimal", () => {
    expect(() => toMinorUnits("12,50", "NOK")).toThrow(/Not a decimal amount/)
    expect(() => toMinorUnits(Number.NaN, "NOK")).toThrow()
  })

  it("converts back to a decimal string for Medusa", () => {
    expect(fromMinorUnits(29990, "NOK")).toBe("299.90")
    expect(fromMinorUnits(5, "NOK")).toBe("0.05")
    expect(fromMinorUnits(1500, "JPY")).toBe("1500")
    expect(fromMinorUnits(12345, "KWD")).toBe("12.345")
    expect(() => fromMinorUnits(1.5, "NOK")).toThrow(/integers/)
  })
})

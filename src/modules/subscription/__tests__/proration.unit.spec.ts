import type { SubscriptionLine } from "../lines"
import { prorate, scale } from "../proration"

const line = (unit_amount: number, vat = 25, quantity = 1): SubscriptionLine => ({
  line_id: `l${unit_amount}`,
  title: "Coffee",
  quantity,
  unit_amount,
  vat,
  type: "item",
})
const periodStart = new Date("2027-04-01T00:00:00.000Z")
const periodEnd = new Date("2027-05-01T00:00:00.000Z") // 30 days

describe("proration of a plan change", () => {
  it("charges the price difference for the rest of the period (Stripe's example: 10 → 20 halfway is +5)", () => {
    const result = prorate({ oldLines: [line(1000)], newLines: [line(2000)], periodStart, periodEnd, at: new Date("2027-04-16T00:00:00.000Z") })
    expect(result.amount).toBe(500)
    expect(result.vat).toBe(25)
    expect(result.vat_amount).toBe(100) // 25 % VAT inside 500 = 100
  })

  it("rounds half up to a whole minor unit, on integers", () => {
    // 10 days left of 30: 1001 × 10 / 30 = 333.67 → 334
    const result = prorate({ oldLines: [line(1000)], newLines: [line(2001)], periodStart, periodEnd, at: new Date("2027-04-21T00:00:00.000Z") })
    expect(result.amount).toBe(334)
    expect(scale(1, 1, 2)).toBe(1)
    expect(scale(-1, 1, 2)).toBe(-1)
    expect(scale(3, 1, 3)).toBe(1)
  })

  it("never credits a downgrade, and charges nothing once the period is over", () => {
    expect(prorate({ oldLines: [line(2000)], newLines: [line(1000)], periodStart, periodEnd, at: new Date("2027-04-16T00:00:00.000Z") }).amount).toBe(0)
    expect(prorate({ oldLines: [line(1000)], newLines: [line(2000)], periodStart, periodEnd, at: periodEnd }).amount).toBe(0)
  })

  it("takes quantity changes and several VAT rates into account", () => {
    const result = prorate({
      oldLines: [line(1000, 25, 1)],
      newLines: [line(1000, 25, 2), { ...line(500, 15), line_id: "food" }],
      periodStart,
      periodEnd,
      at: periodStart,
    })
    expect(result.amount).toBe(1500)
    expect(result.vat).toBeUndefined()
    expect(result.vat_amount).toBe(200 + 65) // 25 % of 1000 inclusive + 15 % of 500 inclusive
  })
})

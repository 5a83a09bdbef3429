import type { SubscriptionLine } from "../lines"
import { monthlyAmount, monthlyRecurringRevenue, type MrrSubscription } from "../revenue"

const lines = (unit_amount: number, quantity = 1): SubscriptionLine[] => [
  { line_id: "l1", title: "Coffee", quantity, unit_amount, vat: 15, type: "item" },
]
const plan = (unit_amount: number, interval: MrrSubscription["interval"], interval_count = 1, currency_code = "nok"): MrrSubscription => ({
  currency_code,
  items: lines(unit_amount),
  interval,
  interval_count,
})

describe("monthly recurring revenue", () => {
  it("counts a monthly plan at its price and a plan every n months at a n-th of it", () => {
    expect(monthlyAmount(plan(29900, "month"))).toBe(29900)
    expect(monthlyAmount(plan(30000, "month", 3))).toBe(10000)
  })

  it("counts a yearly plan as a twelfth of its price, rounded half up to a whole minor unit", () => {
    expect(monthlyAmount(plan(100000, "year"))).toBe(8333) // 8333.33…
    expect(monthlyAmount(plan(100002, "year"))).toBe(8334) // 8333.5 → up
    expect(monthlyAmount(plan(240000, "year", 2))).toBe(10000)
  })

  it("counts weeks as 52 a year and days as 365 a year", () => {
    expect(monthlyAmount(plan(1200, "week"))).toBe(5200) // 1200 × 52 / 12
    expect(monthlyAmount(plan(1200, "week", 2))).toBe(2600)
    expect(monthlyAmount(plan(100, "day"))).toBe(3042) // 100 × 365 / 12 = 3041.67
  })

  it("sums per currency, each subscription rounded once", () => {
    const totals = monthlyRecurringRevenue([plan(100000, "year"), plan(100000, "year"), plan(29900, "month"), plan(5000, "month", 1, "EUR")])
    expect(totals).toEqual({ nok: 8333 + 8333 + 29900, eur: 5000 })
  })
})

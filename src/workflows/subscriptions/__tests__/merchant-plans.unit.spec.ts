import { merchantPlan, planGroups, trialUnitPrice } from "../order-plans"
import { itemsForPeriod } from "../steps/plan-renewal"

describe("the merchant's plan", () => {
  it("is the variant's metadata.subscription, else its product's; an invalid one is no plan", () => {
    const product = { metadata: { subscription: { interval: "month", trial_days: 14 } } }
    expect(merchantPlan({ product })).toMatchObject({ interval: "month", interval_count: 1, trial_days: 14 })
    expect(merchantPlan({ metadata: { subscription: { interval: "week" } }, product })).toMatchObject({ interval: "week" })
    expect(merchantPlan({ metadata: { subscription: { interval: "fortnight" } }, product })).toBeNull()
    expect(merchantPlan({ product: { metadata: {} } })).toBeNull()
  })

  it("prices a trial per currency: free without trial_prices, none in a currency it does not list", () => {
    const free = merchantPlan({ metadata: { subscription: { interval: "month", trial_days: 7 } } })!
    const priced = merchantPlan({ metadata: { subscription: { interval: "month", trial_days: 7, trial_prices: { nok: 10, EUR: 1.5 } } } })!
    expect(trialUnitPrice(free, "nok")).toBe(0)
    expect(trialUnitPrice(priced, "NOK")).toBe(10)
    expect(trialUnitPrice(priced, "eur")).toBe(1.5)
    expect(trialUnitPrice(priced, "sek")).toBeNull()
    expect(trialUnitPrice(merchantPlan({ metadata: { subscription: { interval: "month" } } })!, "nok")).toBeNull()
  })

  it("lines asking for a trial form their own subscription", () => {
    const order = {
      items: [
        { id: "a", metadata: { subscription: { interval: "month", trial_days: 14 } } },
        { id: "b", metadata: { subscription: { interval: "month" } } },
      ],
    }
    expect(planGroups(order).map((group) => group.items.map((item: any) => item.id))).toEqual([["a"], ["b"]])
  })
})

describe("the lines a period bills", () => {
  const record = {
    items: [{ line_id: "old" }],
    pending_items: [{ line_id: "new" }],
    pending_items_from: "2027-02-28T10:00:00.000Z",
  }
  it("are the pending ones from the period they apply from, the current ones before", () => {
    expect(itemsForPeriod(record, new Date("2027-01-31T10:00:00.000Z"))).toEqual([{ line_id: "old" }])
    expect(itemsForPeriod(record, new Date("2027-02-28T10:00:00.000Z"))).toEqual([{ line_id: "new" }])
    expect(itemsForPeriod({ ...record, pending_items: null }, new Date("2027-03-31T10:00:00.000Z"))).toEqual([{ line_id: "old" }])
  })
})

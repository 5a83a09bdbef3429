import { periodAmount, toChargeItems, vatIncluded, type SubscriptionLine } from "../lines"
import { parseSubscriptionOptions } from "../options"

const lines: SubscriptionLine[] = [
  { line_id: "coffee", title: "Coffee", quantity: 2, unit_amount: 37375, vat: 25, type: "item", variant_id: "variant_1" },
  { line_id: "ship", title: "Shipping", quantity: 1, unit_amount: 6125, vat: 25, type: "shipping", shipping_option_id: "so_1" },
]

describe("what a period bills", () => {
  it("adds up VAT-inclusive lines in minor units and sends Dintero lines that add up to the charge", () => {
    expect(periodAmount(lines)).toBe(80875)
    const items = toChargeItems(lines)
    expect(items).toEqual([
      { id: "variant_1", line_id: "coffee", description: "Coffee", quantity: 2, amount: 74750, vat: 25, vat_amount: 14950 },
      { id: "so_1", line_id: "ship", description: "Shipping", quantity: 1, amount: 6125, vat: 25, vat_amount: 1225, type: "shipping" },
    ])
    expect(items.reduce((sum, item) => sum + item.amount, 0)).toBe(periodAmount(lines))
  })

  it("takes the VAT out of an inclusive amount, rounding half up", () => {
    expect(vatIncluded(12500, 25)).toBe(2500)
    expect(vatIncluded(29900, 15)).toBe(3900)
    expect(vatIncluded(1001, 12)).toBe(107)
    expect(vatIncluded(1000, 0)).toBe(0)
  })
})

describe("subscription options", () => {
  it("defaults to a 15-minute job and a 1-3-7-day schedule that cancels", () => {
    expect(parseSubscriptionOptions(undefined)).toMatchObject({
      providerId: "pp_dintero_dintero",
      renewalSchedule: "*/15 * * * *",
      renewalJob: true,
      maxPeriodsPerRun: 12,
      dunning: { retryDelaysDays: [1, 3, 7], onExhausted: "cancel" },
    })
  })

  it("reads the plugin's `subscriptions` options and refuses bad values by name", () => {
    expect(parseSubscriptionOptions({ apiKey: "x", subscriptions: { dunning: { onExhausted: "past_due" } } }).dunning).toEqual({
      retryDelaysDays: [1, 3, 7],
      onExhausted: "past_due",
    })
    expect(() => parseSubscriptionOptions({ subscriptions: { concurrency: 0 } })).toThrow(/subscriptions\.concurrency/)
  })
})

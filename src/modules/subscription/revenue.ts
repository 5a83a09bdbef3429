import { periodAmount, type SubscriptionLine } from "./lines"
import { scale } from "./proration"

/**
 * Monthly recurring revenue of one subscription, in minor units, VAT included (as its lines are):
 *
 *   month: amount / n            year: amount / (12 n)
 *   week:  amount × 52 / (12 n)  day:  amount × 365 / (12 n)      (n = interval_count)
 *
 * A year is 12 months, 52 weeks or 365 days (the usual MRR convention, as in Stripe's MRR report: a
 * yearly plan counts a twelfth of its price each month). Each subscription's figure is rounded half up
 * to a whole minor unit once, then the figures are summed per currency, so the total is the sum of what
 * the rows show.
 */
export function monthlyAmount(subscription: MrrSubscription): number {
  const amount = periodAmount(subscription.items)
  const n = Math.max(1, subscription.interval_count ?? 1)
  switch (subscription.interval) {
    case "month":
      return scale(amount, 1, n)
    case "year":
      return scale(amount, 1, 12 * n)
    case "week":
      return scale(amount, 52, 12 * n)
    case "day":
      return scale(amount, 365, 12 * n)
  }
}

export type MrrSubscription = {
  currency_code: string
  items: SubscriptionLine[]
  interval: "day" | "week" | "month" | "year"
  interval_count: number
}

/** Sums per currency code (lower case, as Medusa stores them). */
export function monthlyRecurringRevenue(subscriptions: MrrSubscription[]): Record<string, number> {
  const totals: Record<string, number> = {}
  for (const subscription of subscriptions) {
    const currency = subscription.currency_code.toLowerCase()
    totals[currency] = (totals[currency] ?? 0) + monthlyAmount(subscription)
  }
  return totals
}

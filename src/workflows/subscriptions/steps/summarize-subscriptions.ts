import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { monthlyRecurringRevenue, type MrrSubscription } from "../../../modules/subscription/revenue"
import { nowFrom, subscriptionModule } from "../helpers"

export type SubscriptionOverview = {
  active: number
  past_due: number
  paused: number
  /** Canceled subscriptions whose service ended in the current calendar month (UTC). */
  canceled_this_month: number
  /** Minor units per currency, VAT included; active and past_due subscriptions (see modules/subscription/revenue.ts). */
  monthly_recurring_revenue: Array<{ currency_code: string; amount: number; subscriptions: number }>
  month_start: string
}

const BATCH = 500

/**
 * The figures on top of the admin's Subscriptions page. MRR counts what is still billed: active and
 * past_due subscriptions (a past_due one is being retried, not lost yet — Stripe counts it too); paused,
 * canceled and expired ones bill nothing.
 */
export const summarizeSubscriptionsStep = createStep(
  "summarize-subscriptions",
  async (input: { now?: string }, { container }) => {
    const service = subscriptionModule(container)
    const now = nowFrom(input.now)
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
    const count = async (filters: Record<string, unknown>) => (await service.listAndCountSubscriptions(filters, { take: 1, select: ["id"] }))[1]

    const [active, pastDue, paused, canceledThisMonth] = await Promise.all([
      count({ status: "active" }),
      count({ status: "past_due" }),
      count({ status: "paused" }),
      count({ status: "canceled", ended_at: { $gte: monthStart } }),
    ])

    const billed: MrrSubscription[] = []
    for (let skip = 0; ; skip += BATCH) {
      const page = await service.listSubscriptions(
        { status: ["active", "past_due"] },
        { select: ["id", "currency_code", "items", "interval", "interval_count"], order: { id: "ASC" }, skip, take: BATCH }
      )
      billed.push(...(page as unknown as MrrSubscription[]))
      if (page.length < BATCH) {
        break
      }
    }
    const totals = monthlyRecurringRevenue(billed)
    const perCurrency = (code: string) => billed.filter((subscription) => subscription.currency_code.toLowerCase() === code).length
    return new StepResponse<SubscriptionOverview>({
      active,
      past_due: pastDue,
      paused,
      canceled_this_month: canceledThisMonth,
      monthly_recurring_revenue: Object.keys(totals)
        .sort()
        .map((currency_code) => ({ currency_code, amount: totals[currency_code], subscriptions: perCurrency(currency_code) })),
      month_start: monthStart.toISOString(),
    })
  }
)

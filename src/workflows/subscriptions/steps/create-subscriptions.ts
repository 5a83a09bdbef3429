import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SubscriptionLine } from "../../../modules/subscription"
import { subscriptionModule } from "../helpers"

export type NewSubscription = {
  customer_id: string
  card_id: string
  currency_code: string
  items: SubscriptionLine[]
  interval: "day" | "week" | "month" | "year"
  interval_count: number
  anchor_day: number
  current_period_start: Date | string
  current_period_end: Date | string
  next_charge_at: Date | string | null
  expires_at?: Date | string | null
  /** `trialing` until `trial_end`, when the first period of the plan is charged. */
  status?: "active" | "trialing"
  trial_end?: Date | string | null
  region_id: string
  sales_channel_id?: string | null
  email?: string | null
  shipping_address?: Record<string, unknown> | null
  billing_address?: Record<string, unknown> | null
  source_order_id?: string | null
  metadata?: Record<string, unknown> | null
}

/** Compensation deletes what was created. */
export const createSubscriptionsStep = createStep(
  "create-subscriptions",
  async (input: NewSubscription[], { container }) => {
    if (!input.length) {
      return new StepResponse([] as Array<{ id: string; customer_id: string; source_order_id: string | null }>, [] as string[])
    }
    const created = await subscriptionModule(container).createSubscriptions(
      input.map((subscription) => ({
        ...subscription,
        status: subscription.status ?? ("active" as const),
        trial_end: subscription.trial_end ? new Date(subscription.trial_end) : null,
        items: subscription.items as unknown as Record<string, unknown>,
        current_period_start: new Date(subscription.current_period_start),
        current_period_end: new Date(subscription.current_period_end),
        next_charge_at: subscription.next_charge_at ? new Date(subscription.next_charge_at) : null,
        expires_at: subscription.expires_at ? new Date(subscription.expires_at) : null,
      }))
    )
    const summary = created.map((row) => ({ id: row.id, customer_id: row.customer_id, source_order_id: row.source_order_id }))
    return new StepResponse(summary, summary.map((row) => row.id))
  },
  async (ids, { container }) => {
    if (ids?.length) {
      await subscriptionModule(container).deleteSubscriptions(ids)
    }
  }
)

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../helpers"
import type { PlanChange } from "./plan-proration"

/**
 * The new lines (and interval) bill from the next period; the current period was paid at the old price,
 * and a period already being retried keeps the amount of its first attempt. A new interval unit takes
 * the next period start as its anchor day. Compensation restores the old plan.
 */
export const applyPlanChangeStep = createStep(
  "apply-subscription-plan-change",
  async (input: { subscription: Record<string, any>; change: PlanChange }, { container }) => {
    const { subscription, change } = input
    const service = subscriptionModule(container)
    const unitChanges = change.interval !== undefined && change.interval !== subscription.interval
    await service.updateSubscriptions({
      id: subscription.id,
      items: change.items as unknown as Record<string, unknown>,
      ...(change.interval ? { interval: change.interval } : {}),
      ...(change.interval_count ? { interval_count: change.interval_count } : {}),
      ...(unitChanges ? { anchor_day: new Date(subscription.current_period_end).getUTCDate() } : {}),
    })
    const previous = {
      id: subscription.id,
      items: subscription.items,
      interval: subscription.interval,
      interval_count: subscription.interval_count,
      anchor_day: subscription.anchor_day,
    }
    return new StepResponse(await service.retrieveSubscription(subscription.id), previous)
  },
  async (previous, { container }) => {
    if (previous) {
      await subscriptionModule(container).updateSubscriptions(previous as any)
    }
  }
)

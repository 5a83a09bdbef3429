import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../helpers"
import type { RenewalPlan } from "./plan-renewal"
import type { SubscriptionOrder } from "./create-subscription-order"

/**
 * A renewal is complete once its charge succeeded and its order exists: the paid period becomes the
 * current one, the subscription is active again (a past_due one has recovered), and the next charge is
 * at the new period's end. Compensation puts the old period back.
 */
export const advancePeriodStep = createStep(
  "advance-subscription-period",
  async (input: { plan: RenewalPlan; order: SubscriptionOrder | null }, { container }) => {
    const { plan, order } = input
    const skipped = plan.action === "skip_period"
    if (!skipped && (!order || (plan.action !== "charge" && plan.action !== "fulfil"))) {
      return new StepResponse<{ next_charge_at: string } | null, Record<string, unknown> | null>(null)
    }
    const service = subscriptionModule(container)
    // As the plan read it under the lock, which this run still holds: nothing else changed these fields since.
    const previous = plan.period_snapshot ?? (await readPeriod(service, plan.subscription_id))
    const periodStart = new Date(plan.period_start)
    const pendingApplies =
      Array.isArray(previous.pending_items) && previous.pending_items_from && new Date(previous.pending_items_from).getTime() <= periodStart.getTime()
    await service.updateSubscriptions({
      id: plan.subscription_id,
      // A trial ends, a past_due subscription has recovered; a skipped period leaves the status as it was (active).
      ...(skipped ? {} : { status: "active" as const }),
      // The customer's item change now bills every period (a skipped one passes it on to the next).
      ...(pendingApplies ? { items: previous.pending_items as any, pending_items: null, pending_items_from: null } : {}),
      current_period_start: new Date(plan.period_start),
      current_period_end: new Date(plan.period_end),
      next_charge_at: new Date(plan.period_end),
    })
    return new StepResponse<{ next_charge_at: string } | null, Record<string, unknown> | null>(
      { next_charge_at: plan.period_end },
      previous as unknown as Record<string, unknown>
    )
  },
  async (previous, { container }) => {
    if (previous) {
      await subscriptionModule(container).updateSubscriptions(previous as any)
    }
  }
)

async function readPeriod(service: ReturnType<typeof subscriptionModule>, id: string) {
  const fields = ["id", "status", "current_period_start", "current_period_end", "next_charge_at", "items", "pending_items", "pending_items_from"] as const
  const [record] = await service.listSubscriptions({ id }, { select: [...fields] })
  return record as unknown as Record<string, any>
}

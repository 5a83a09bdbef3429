import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { applyPlanChangeStep } from "./steps/apply-plan-change"
import { chargeSavedCardStep } from "./steps/charge-saved-card"
import { createSubscriptionOrderStep } from "./steps/create-subscription-order"
import { loadSubscriptionStep } from "./steps/load-subscription"
import { lockSubscriptionStep, releaseSubscriptionLockStep } from "./steps/lock-subscription"
import { openChargeStep } from "./steps/open-charge"
import { planProrationStep, type PlanChange } from "./steps/plan-proration"
import { settleProrationStep } from "./steps/settle-proration"

export const changeSubscriptionPlanWorkflowId = "change-subscription-plan"

/**
 * Upgrade or downgrade: new lines (and optionally interval) from the next period. With `prorate`, an
 * upgrade charges the prorated difference for the rest of the current period now, as its own order; if
 * that charge is declined the plan stays as it was.
 */
export const changeSubscriptionPlanWorkflow = createWorkflow(
  changeSubscriptionPlanWorkflowId,
  (input: PlanChange & { id: string }) => {
    const lock = lockSubscriptionStep(transform({ input }, ({ input }) => ({ subscription_id: input.id, wait_seconds: 10, required: true })))
    const subscription = loadSubscriptionStep(transform({ input }, ({ input }) => ({ id: input.id })))
    const change = transform({ input }, ({ input }): PlanChange => ({
      items: input.items,
      interval: input.interval,
      interval_count: input.interval_count,
      prorate: input.prorate,
      now: input.now,
    }))
    const plan = planProrationStep({ subscription, change })
    const charge = openChargeStep(plan.charge)
    const outcome = chargeSavedCardStep(
      transform({ plan, charge }, ({ plan, charge }) => ({
        charge,
        account_holder: plan.account_holder,
        provider_id: plan.provider_id,
      }))
    ).config({ name: "charge-subscription-proration" })
    const settled = settleProrationStep({ charge, outcome, paid_charge_id: plan.paid_charge_id })
    const updated = applyPlanChangeStep({ subscription, change })
    const order = createSubscriptionOrderStep(
      // Also for a change already paid (a repeat): the step returns the existing order, or creates the one a
      // failed first request did not.
      transform({ settled }, ({ settled }) => ({ charge_id: settled.charge_id }))
    ).config({ name: "create-subscription-proration-order" })
    releaseSubscriptionLockStep(lock)
    return new WorkflowResponse({
      subscription: updated,
      proration: transform({ plan, settled, order }, ({ plan, settled, order }) =>
        plan.proration ? { ...plan.proration, charge_id: settled.charge_id, order_id: order?.order_id ?? null } : null
      ),
    })
  }
)

import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { SubscriptionEvents } from "./events"
import { advancePeriodStep } from "./steps/advance-period"
import { chargeSavedCardStep } from "./steps/charge-saved-card"
import { createSubscriptionOrderStep } from "./steps/create-subscription-order"
import { lockSubscriptionStep, releaseSubscriptionLockStep } from "./steps/lock-subscription"
import { openChargeStep } from "./steps/open-charge"
import { planRenewalStep, type RenewalInput } from "./steps/plan-renewal"
import { settleRenewalStep } from "./steps/settle-renewal"

export const renewSubscriptionPeriodWorkflowId = "renew-subscription-period"

/**
 * Renews one period of one subscription, under the subscription's lock: plan (is it due, which attempt),
 * write the attempt down, charge the saved card (merchant-initiated, same merchant_reference for every
 * attempt of the period), record the outcome and apply the dunning policy, and on success create the
 * renewal order and advance the period. Each step checks the state it acts on, so running this again after
 * a crash at any point finishes the renewal without charging twice.
 */
export const renewSubscriptionPeriodWorkflow = createWorkflow(renewSubscriptionPeriodWorkflowId, (input: RenewalInput) => {
  const lock = lockSubscriptionStep(
    transform({ input }, ({ input }) => ({
      subscription_id: input.subscription_id,
      wait_seconds: input.lock_wait_seconds ?? 0,
      required: input.lock_wait_seconds !== undefined,
    }))
  )
  const plan = planRenewalStep({ renewal: input, lock })

  const chargeInput = transform({ plan }, ({ plan }) => (plan.action === "charge" ? { ...plan, kind: "renewal" as const } : null))
  const charge = openChargeStep(chargeInput)
  const outcome = chargeSavedCardStep(
    transform({ plan, charge }, ({ plan, charge }) => ({
      charge,
      account_holder: plan.action === "charge" ? plan.account_holder : null,
      settle_only: plan.action === "charge" && plan.settle_only,
      provider_id: plan.policy.providerId,
    }))
  )
  const settlement = settleRenewalStep({ plan, charge, outcome })
  const order = createSubscriptionOrderStep(
    transform({ settlement, charge }, ({ settlement, charge }) => ({
      charge_id: settlement.outcome === "renewed" ? settlement.charge_id : null,
      // Succeeded just now on an attempt no earlier run left unfinished (not a renewal being fulfilled).
      first_success: settlement.outcome === "renewed" && charge?.id === settlement.charge_id && charge?.outcome_unknown === false,
    }))
  )
  const advanced = advancePeriodStep({ plan, order })

  const result = transform({ plan, settlement, order, advanced }, ({ plan, settlement, order, advanced }) => ({
    subscription_id: plan.subscription_id,
    outcome: settlement.outcome,
    reason: settlement.reason,
    charge_id: settlement.charge_id,
    order_id: order?.order_id ?? null,
    next_charge_at: advanced?.next_charge_at ?? settlement.next_charge_at,
    period_start: "period_start" in plan ? plan.period_start : null,
    period_end: "period_end" in plan ? plan.period_end : null,
    attempt: settlement.attempt ?? null,
    decline: settlement.decline ?? null,
    past_due_reason: settlement.past_due_reason ?? null,
    canceled_reason:
      settlement.outcome === "canceled" ? "period_end" : settlement.status === "canceled" && settlement.outcome === "failed" ? "dunning_exhausted" : null,
  }))

  emitEventStep({
    eventName: SubscriptionEvents.RENEWED,
    data: transform({ result, order }, ({ result, order }) =>
      result.outcome === "renewed" && order
        ? { id: result.subscription_id, order_id: order.order_id, charge_id: result.charge_id, period_start: result.period_start, period_end: result.period_end }
        : undefined
    ),
  }).config({ name: "emit-subscription-renewed" })
  emitEventStep({
    eventName: SubscriptionEvents.PERIOD_SKIPPED,
    data: transform({ result }, ({ result }) =>
      result.outcome === "period_skipped" ? { id: result.subscription_id, period_start: result.period_start, period_end: result.period_end } : undefined
    ),
  }).config({ name: "emit-subscription-period-skipped" })
  emitEventStep({
    eventName: SubscriptionEvents.PAYMENT_FAILED,
    data: transform({ result }, ({ result }) =>
      result.outcome === "failed"
        ? {
            id: result.subscription_id,
            charge_id: result.charge_id,
            attempt: result.attempt,
            decline: result.decline,
            next_charge_at: result.next_charge_at,
            // "immediate" (Dintero's RETRY_IMMEDIATELY, retried in the same run), "retry_after", "schedule",
            // "do_not_retry" or "dunning_exhausted": what the notices need to tell the customer.
            retry_reason: result.reason ?? null,
          }
        : undefined
    ),
  }).config({ name: "emit-subscription-payment-failed" })
  emitEventStep({
    eventName: SubscriptionEvents.PAST_DUE,
    data: transform({ result }, ({ result }) =>
      result.past_due_reason
        ? { id: result.subscription_id, reason: result.past_due_reason, charge_id: result.charge_id, next_charge_at: result.next_charge_at }
        : undefined
    ),
  }).config({ name: "emit-subscription-past-due" })
  emitEventStep({
    eventName: SubscriptionEvents.CANCELED,
    data: transform({ result }, ({ result }) => (result.canceled_reason ? { id: result.subscription_id, reason: result.canceled_reason } : undefined)),
  }).config({ name: "emit-subscription-canceled" })
  emitEventStep({
    eventName: SubscriptionEvents.EXPIRED,
    data: transform({ result }, ({ result }) => (result.outcome === "expired" ? { id: result.subscription_id } : undefined)),
  }).config({ name: "emit-subscription-expired" })

  releaseSubscriptionLockStep(lock)
  return new WorkflowResponse(result)
})

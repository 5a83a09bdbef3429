import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { SubscriptionEvents } from "./events"
import { applyItemChangeStep } from "./steps/apply-item-change"
import { loadSubscriptionStep } from "./steps/load-subscription"
import { lockSubscriptionStep, releaseSubscriptionLockStep } from "./steps/lock-subscription"
import { planItemChangeStep, type ItemChangeInput } from "./steps/plan-item-change"

export const changeSubscriptionItemsWorkflowId = "change-subscription-items"

/**
 * A customer's choice of variants and quantities, within what the merchant allows, billed from the next
 * period at Medusa's prices; the current period is neither charged again nor prorated. Under the
 * subscription's lock, so it never interleaves with a renewal.
 */
export const changeSubscriptionItemsWorkflow = createWorkflow(changeSubscriptionItemsWorkflowId, (input: ItemChangeInput) => {
  const lock = lockSubscriptionStep(transform({ input }, ({ input }) => ({ subscription_id: input.id, wait_seconds: 10, required: true })))
  const subscription = loadSubscriptionStep(transform({ input }, ({ input }) => ({ id: input.id, customer_id: input.customer_id })))
  const change = planItemChangeStep({ subscription, input })
  const updated = applyItemChangeStep({ subscription, change })
  emitEventStep({
    eventName: SubscriptionEvents.ITEMS_CHANGE_SCHEDULED,
    data: transform({ change }, ({ change }) => ({ id: change.subscription_id, applies_from: change.applies_from, amount: change.amount })),
  })
  releaseSubscriptionLockStep(lock)
  return new WorkflowResponse({ subscription: updated, change })
})

import { emitEventStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { SubscriptionEvents } from "./events"
import { applyLifecycleStep, type LifecycleAction } from "./steps/apply-lifecycle"
import { loadSubscriptionStep } from "./steps/load-subscription"
import { lockSubscriptionStep, releaseSubscriptionLockStep } from "./steps/lock-subscription"

/** `customer_id` makes it the customer's own action: another customer's subscription is "not found". */
export type LifecycleInput = { id: string; customer_id?: string; now?: string; at_period_end?: boolean; card_id?: string }

/** The skipped-period events: emitted only when the request changed something (a repeat changes nothing). */
function skipEvent(kind: "skip" | "unskip", input: LifecycleInput, before: Record<string, any>, after: Record<string, any>) {
  const count = (record: Record<string, any>) => (Array.isArray(record.skipped_periods) ? record.skipped_periods.length : 0)
  const changed = kind === "skip" ? count(after) > count(before) : count(after) < count(before)
  return changed
    ? { id: after.id, period_start: new Date(after.current_period_end).toISOString(), by: input.customer_id ? "customer" : "admin" }
    : undefined
}

/**
 * A pause, resume, cancel or card change, by an admin or by the customer: under the subscription's lock
 * (waits up to 10 s for a renewal in progress, then 409), so it never interleaves with a charge.
 */
function lifecycleWorkflow(id: string, change: (input: LifecycleInput) => LifecycleAction) {
  return createWorkflow(id, (input: LifecycleInput) => {
    const lock = lockSubscriptionStep(transform({ input }, ({ input }) => ({ subscription_id: input.id, wait_seconds: 10, required: true })))
    const subscription = loadSubscriptionStep(transform({ input }, ({ input }) => ({ id: input.id, customer_id: input.customer_id })))
    const updated = applyLifecycleStep(
      transform({ input, subscription }, ({ input, subscription }) => ({ subscription, change: change(input), now: input.now }))
    )
    emitEventStep({
      eventName: SubscriptionEvents.CANCELED,
      data: transform({ subscription, updated }, ({ subscription, updated }) =>
        updated.status === "canceled" && subscription.status !== "canceled" ? { id: updated.id, reason: "requested" } : undefined
      ),
    })
    const action = change({ id: "" }).action
    if (action === "skip" || action === "unskip") {
      emitEventStep({
        eventName: action === "skip" ? SubscriptionEvents.SKIP_SCHEDULED : SubscriptionEvents.SKIP_CANCELED,
        data: transform({ input, subscription, updated }, ({ input, subscription, updated }) =>
          skipEvent(action, input, subscription, updated as unknown as Record<string, any>)
        ),
      }).config({ name: `emit-subscription-${action}` })
    }
    releaseSubscriptionLockStep(lock)
    return new WorkflowResponse(updated)
  })
}

export const pauseSubscriptionWorkflow = lifecycleWorkflow("pause-subscription", () => ({ action: "pause" }))

export const resumeSubscriptionWorkflow = lifecycleWorkflow("resume-subscription", () => ({ action: "resume" }))

export const cancelSubscriptionWorkflow = lifecycleWorkflow(
  "cancel-subscription",
  (input) => ({ action: "cancel", at_period_end: input.at_period_end })
)

export const changeSubscriptionCardWorkflow = lifecycleWorkflow(
  "change-subscription-card",
  (input) => ({ action: "change_card", card_id: input.card_id ?? "" })
)

/** Skip the next period (customer or admin): the renewal job passes over it without charging. */
export const skipSubscriptionPeriodWorkflow = lifecycleWorkflow("skip-subscription-period", () => ({ action: "skip" }))

/** Take back the skip of the next period: it is charged as usual. */
export const unskipSubscriptionPeriodWorkflow = lifecycleWorkflow("unskip-subscription-period", () => ({ action: "unskip" }))

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cancel, changeCard, pause, resume, type SubscriptionUpdate } from "../../../modules/subscription/lifecycle"
import { assertCustomerCard, nowFrom, subscriptionModule, toState } from "../helpers"

export type LifecycleAction =
  | { action: "pause" }
  | { action: "resume" }
  | { action: "cancel"; at_period_end?: boolean }
  | { action: "change_card"; card_id: string }

/** Applies a pause, resume, cancel or card change (rules in modules/subscription/lifecycle.ts). */
export const applyLifecycleStep = createStep(
  "apply-subscription-lifecycle",
  async (input: { subscription: Record<string, any>; change: LifecycleAction; now?: string }, { container }) => {
    const service = subscriptionModule(container)
    const state = toState(input.subscription)
    const now = nowFrom(input.now)
    let update: SubscriptionUpdate
    switch (input.change.action) {
      case "pause":
        update = pause(state, now)
        break
      case "resume":
        update = resume(state, now)
        break
      case "cancel":
        update = cancel(state, now, input.change.at_period_end ?? false)
        break
      case "change_card":
        await assertCustomerCard(container, input.subscription.customer_id, input.change.card_id, service.getOptions().providerId)
        update = changeCard(state, now, input.change.card_id)
        break
    }
    const previous = Object.fromEntries(Object.keys(update).map((field) => [field, input.subscription[field] ?? null]))
    await service.updateSubscriptions({ id: state.id, ...update })
    const updated = await service.retrieveSubscription(state.id)
    return new StepResponse(updated, { id: state.id, ...previous })
  },
  async (previous, { container }) => {
    if (previous) {
      await subscriptionModule(container).updateSubscriptions(previous as any)
    }
  }
)

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../helpers"
import type { ItemChange } from "./plan-item-change"

/** Stores the new lines as pending from the next period (the renewal that starts it applies them). Compensation restores the previous ones. */
export const applyItemChangeStep = createStep(
  "apply-subscription-item-change",
  async (input: { subscription: Record<string, any>; change: ItemChange }, { container }) => {
    const service = subscriptionModule(container)
    const { subscription, change } = input
    await service.updateSubscriptions({
      id: subscription.id,
      pending_items: change.pending_items as any,
      pending_items_from: change.pending_items ? new Date(change.applies_from) : null,
    })
    const previous = { id: subscription.id, pending_items: subscription.pending_items ?? null, pending_items_from: subscription.pending_items_from ?? null }
    return new StepResponse(await service.retrieveSubscription(subscription.id), previous)
  },
  async (previous, { container }) => {
    if (previous) {
      await subscriptionModule(container).updateSubscriptions(previous as any)
    }
  }
)

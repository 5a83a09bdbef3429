import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { liveSubscriptionsByCard } from "../card-usage"

/** The customer's subscriptions that would be left without a card if this one went. */
export const findCardSubscriptionsStep = createStep(
  "find-dintero-card-subscriptions",
  async (input: { customer_id: string; card_id: string }, { container }) => {
    const byCard = await liveSubscriptionsByCard(container, input.customer_id, [input.card_id])
    return new StepResponse(byCard.get(input.card_id) ?? [])
  }
)

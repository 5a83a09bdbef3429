import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardSources, liveSubscriptionsByCard, type CardSource, type CardSubscription, type ListedCard } from "../card-usage"

export type DescribedCard = ListedCard & { source: CardSource; subscriptions: CardSubscription[] }

/** The merchant's view of saved cards: each with where it came from and the live subscriptions it pays. */
export const describeSavedCardsStep = createStep(
  "describe-dintero-saved-cards",
  async (input: { customer_id: string; cards: ListedCard[] }, { container }) => {
    const [sources, subscriptions] = await Promise.all([
      cardSources(container, input.customer_id, input.cards),
      liveSubscriptionsByCard(container, input.customer_id, input.cards.map((card) => card.id)),
    ])
    return new StepResponse(
      input.cards.map((card): DescribedCard => ({ ...card, source: sources.get(card.id)!, subscriptions: subscriptions.get(card.id) ?? [] }))
    )
  }
)

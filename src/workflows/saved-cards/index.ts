import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { deleteSavedCardStep } from "./steps/delete-saved-card"
import { describeSavedCardsStep } from "./steps/describe-saved-cards"
import { findCardSubscriptionsStep } from "./steps/find-card-subscriptions"
import { findDinteroAccountHolderStep } from "./steps/find-dintero-account-holder"
import { findSavedCardStep } from "./steps/find-saved-card"
import { listSavedCardsStep } from "./steps/list-saved-cards"

export type { CardSource, CardSubscription } from "./card-usage"
export type { DescribedCard } from "./steps/describe-saved-cards"

/** A customer's saved Dintero cards, masked: no token, sealed or not, ever leaves through this. */
export const listSavedCardsWorkflow = createWorkflow("list-dintero-saved-cards", (input: { customer_id: string }) => {
  const holder = findDinteroAccountHolderStep(input)
  return new WorkflowResponse(listSavedCardsStep(holder))
})

/**
 * The merchant's view of a customer's saved cards (or of one, `card_id`): masked as in the list, with where
 * each came from and the live subscriptions it pays. An unknown customer or card is a 404.
 */
export const describeSavedCardsWorkflow = createWorkflow(
  "describe-dintero-saved-cards",
  (input: { customer_id: string; card_id?: string }) => {
    const holder = findDinteroAccountHolderStep({ customer_id: input.customer_id })
    const cards = listSavedCardsStep(holder)
    const one = when("describe-one-dintero-saved-card", { input }, ({ input }) => Boolean(input.card_id)).then(() =>
      findSavedCardStep({ cards, card_id: input.card_id! })
    )
    const chosen = transform({ cards, one }, ({ cards, one }) => (one ? [one] : cards))
    return new WorkflowResponse(describeSavedCardsStep({ customer_id: input.customer_id, cards: chosen }))
  }
)

/**
 * Forgets a saved card. The live subscriptions it pays would be left without a card (their renewals then
 * fail until the customer's card is changed), so by default the card is not deleted while any uses it: the
 * result says `deleted: false` and names them. `when_subscriptions_use_it: "delete"` deletes it anyway.
 */
export const deleteSavedCardWorkflow = createWorkflow(
  "delete-dintero-saved-card",
  (input: { customer_id: string; card_id: string; when_subscriptions_use_it?: "refuse" | "delete" }) => {
    const holder = findDinteroAccountHolderStep({ customer_id: input.customer_id })
    const cards = listSavedCardsStep(holder)
    const card = findSavedCardStep({ cards, card_id: input.card_id })
    const subscriptions = findCardSubscriptionsStep({ customer_id: input.customer_id, card_id: input.card_id })
    const refused = transform({ input, subscriptions }, ({ input, subscriptions }) =>
      subscriptions.length > 0 && (input.when_subscriptions_use_it ?? "refuse") === "refuse"
    )
    const deleted = when("delete-dintero-saved-card-unless-refused", { refused }, ({ refused }) => !refused).then(() =>
      deleteSavedCardStep({ holder, card_id: input.card_id })
    )
    return new WorkflowResponse(
      transform({ card, deleted, subscriptions }, ({ card, deleted, subscriptions }) => ({
        id: card.id,
        /** The card's public half (brand, masked PAN, expiry), to name it in answers. */
        card,
        deleted: deleted?.deleted === true,
        /** Refused: the subscriptions that stopped it. Deleted: those now without a card. */
        subscriptions,
      }))
    )
  }
)

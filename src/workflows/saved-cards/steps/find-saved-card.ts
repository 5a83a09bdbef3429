import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ListedCard } from "../card-usage"

/** One of the customer's own saved cards; someone else's, or one that does not exist, is a 404. */
export const findSavedCardStep = createStep("find-dintero-saved-card", async (input: { cards: ListedCard[]; card_id: string }) => {
  const card = input.cards.find((candidate) => candidate.id === input.card_id)
  if (!card) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${input.card_id} was not found.`)
  }
  return new StepResponse(card)
})

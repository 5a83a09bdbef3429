import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { DinteroAccountHolder } from "./find-dintero-account-holder"

/**
 * Forgets a saved card. Not compensated: a deleted credential is not brought back.
 *
 * The card is looked up among the holder's own cards first: Medusa's deletePaymentMethods runs providers
 * through promiseAll with aggregated errors, which turns the provider's NOT_FOUND into a 500. Someone else's
 * card, or one that does not exist, is a 404 like any other resource the customer cannot see.
 */
export const deleteSavedCardStep = createStep(
  "delete-dintero-saved-card",
  async (input: { holder: DinteroAccountHolder | null; card_id: string }, { container }) => {
    const notFound = () => new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${input.card_id} was not found.`)
    if (!input.holder) {
      throw notFound()
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    const context = { account_holder: input.holder as any }
    const cards = await paymentModule.listPaymentMethods({ provider_id: input.holder.provider_id, context })
    if (!cards.some((card) => card.id === input.card_id)) {
      throw notFound()
    }
    await paymentModule.deletePaymentMethods({ provider_id: input.holder.provider_id, id: input.card_id, context } as any)
    return new StepResponse({ id: input.card_id, deleted: true })
  }
)

import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { DinteroAccountHolder } from "./find-dintero-account-holder"

/** Forgets a saved card. Not compensated: a deleted credential is not brought back. */
export const deleteSavedCardStep = createStep(
  "delete-dintero-saved-card",
  async (input: { holder: DinteroAccountHolder | null; card_id: string }, { container }) => {
    if (!input.holder) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${input.card_id} was not found.`)
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    await paymentModule.deletePaymentMethods({
      provider_id: input.holder.provider_id,
      id: input.card_id,
      context: { account_holder: input.holder },
    } as any)
    return new StepResponse({ id: input.card_id, deleted: true })
  }
)

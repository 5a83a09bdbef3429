import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ListedCard } from "../card-usage"
import type { DinteroAccountHolder } from "./find-dintero-account-holder"

export const listSavedCardsStep = createStep(
  "list-dintero-saved-cards",
  async (holder: DinteroAccountHolder | null, { container }) => {
    if (!holder) {
      return new StepResponse([] as ListedCard[])
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    const methods = await paymentModule.listPaymentMethods({
      provider_id: holder.provider_id,
      context: { account_holder: holder as any },
    })
    return new StepResponse(methods.map((method): ListedCard => ({ ...method.data, id: method.id, provider_id: holder.provider_id })))
  }
)

import { Modules, PaymentActions } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { WebhookActionResult } from "@medusajs/framework/types"

export type DinteroCallbackInput = {
  method: "GET" | "POST"
  /** The raw query string Dintero called us with: part of what its signature covers. */
  query: string
  transactionId?: string
  signature?: string
}

/**
 * Asks each Dintero provider (usually one; several when a store runs several Dintero accounts) what the
 * callback means. The provider checks the signature and reads the transaction back from Dintero, so
 * nothing in the callback itself is trusted.
 */
export const resolveCallbackActionStep = createStep(
  "resolve-dintero-callback-action",
  async (input: DinteroCallbackInput, { container }) => {
    const paymentModule = container.resolve(Modules.PAYMENT)
    const providers = await paymentModule.listPaymentProviders({ is_enabled: true })
    const dinteroProviders = providers.map((provider) => provider.id).filter((id) => id.startsWith("pp_dintero_"))

    for (const provider of dinteroProviders) {
      const result: WebhookActionResult = await paymentModule.getWebhookActionAndData({
        provider,
        payload: {
          data: { transaction_id: input.transactionId, callback_query: input.query, callback_method: input.method },
          rawData: "",
          headers: input.signature ? { "dintero-signature": input.signature } : {},
        },
      })
      if (result.action !== PaymentActions.NOT_SUPPORTED) {
        return new StepResponse(result)
      }
    }
    return new StepResponse<WebhookActionResult>({ action: PaymentActions.NOT_SUPPORTED })
  }
)

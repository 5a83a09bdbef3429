import { MedusaError, Modules, PaymentActions } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { WebhookActionResult } from "@medusajs/framework/types"

export type DinteroCallbackInput = {
  method: "GET" | "POST"
  /** The raw query string Dintero called us with: what its signature covers. */
  query: string
  /** For `method=POST`: the id of the Transaction in the body, which must be the one the signed query names. */
  bodyTransactionId?: string
  signature?: string
}

/**
 * Asks each Dintero provider (usually one; several when a store runs several Dintero accounts) what the
 * callback means. The provider checks the signature first and reads the transaction back from Dintero, so
 * nothing in the callback itself is trusted. A provider refuses a callback not signed for its account; the
 * callback is refused when no provider accepts it.
 */
export const resolveCallbackActionStep = createStep(
  "resolve-dintero-callback-action",
  async (input: DinteroCallbackInput, { container }) => {
    const paymentModule = container.resolve(Modules.PAYMENT)
    const providers = await paymentModule.listPaymentProviders({ is_enabled: true })
    const dinteroProviders = providers.map((provider) => provider.id).filter((id) => id.startsWith("pp_dintero_"))

    let refusal: unknown
    for (const provider of dinteroProviders) {
      try {
        const result: WebhookActionResult = await paymentModule.getWebhookActionAndData({
          provider,
          payload: {
            data: {
              callback_query: input.query,
              callback_method: input.method,
              ...(input.bodyTransactionId ? { body_transaction_id: input.bodyTransactionId } : {}),
            },
            rawData: "",
            headers: input.signature ? { "dintero-signature": input.signature } : {},
          },
        })
        // A decided merchant-initiated charge is NOT_SUPPORTED for Medusa's payment flow but carries its decision.
        if (result.action !== PaymentActions.NOT_SUPPORTED || (result.data as { merchant_initiated?: unknown } | undefined)?.merchant_initiated) {
          return new StepResponse(result)
        }
      } catch (error) {
        // Not signed for this provider's account: another Dintero provider may be the one it is for.
        if ((error as MedusaError).type !== MedusaError.Types.UNAUTHORIZED) {
          throw error
        }
        refusal ??= error
      }
    }
    if (refusal) {
      throw refusal
    }
    return new StepResponse<WebhookActionResult>({ action: PaymentActions.NOT_SUPPORTED })
  }
)

import { MedusaError, Modules, PaymentActions } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { IPaymentModuleService, WebhookActionResult } from "@medusajs/framework/types"
import type { DinteroCallbackData } from "../../../providers/dintero/callback"
import { liveExpressSession, loadExpressCart } from "../../dintero-express/express-cart"

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
 * callback is refused when no provider accepts it. A provider that recognises the transaction as one of its
 * payment sessions answers with `data`, even when there is nothing for Medusa's processPaymentWorkflow to do.
 */
export async function readDinteroCallback(container: { resolve<T = any>(key: string): T }, input: DinteroCallbackInput): Promise<WebhookActionResult> {
  const paymentModule = container.resolve<IPaymentModuleService>(Modules.PAYMENT)
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
      if (result.action !== PaymentActions.NOT_SUPPORTED || result.data?.session_id) {
        return await withLiveExpressSession(container, result, provider)
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
  return { action: PaymentActions.NOT_SUPPORTED }
}

/**
 * An express payment names the Medusa session that opened its Dintero session; Medusa replaces that session
 * whenever the cart's total changes, so the payment is the cart's live session linked to the same Dintero session
 * (docs/express.md). When there is none, the original stays named and the payment branch refuses and voids it.
 */
async function withLiveExpressSession(container: { resolve<T = any>(key: string): T }, result: WebhookActionResult, provider: string) {
  const express = (result.data as DinteroCallbackData | undefined)?.express
  if (!express) {
    return result
  }
  const cart = await loadExpressCart(container as any, express.cart_id)
  const live = cart ? liveExpressSession(cart, express.dintero_session_id) : undefined
  return {
    ...result,
    data: { ...result.data!, session_id: live?.id ?? result.data!.session_id, express: { ...express, provider_id: provider } },
  } as WebhookActionResult
}

export const resolveCallbackActionStep = createStep(
  "resolve-dintero-callback-action",
  async (input: DinteroCallbackInput, { container }) => new StepResponse(await readDinteroCallback(container, input))
)

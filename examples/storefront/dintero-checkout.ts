/**
 * The storefront side of a Dintero checkout with Medusa's JS SDK and @dintero/checkout-web-sdk,
 * framework-agnostic: call `payWithDintero` on the payment step, and `completeOnReturn` on the page
 * Dintero sends the payer back to (the provider's `returnUrl`).
 */
import Medusa from "@medusajs/js-sdk"
import { embed, redirect } from "@dintero/checkout-web-sdk"

const DINTERO = "pp_dintero_dintero"

export async function payWithDintero(
  sdk: Medusa,
  cart: Parameters<Medusa["store"]["payment"]["initiatePaymentSession"]>[0],
  options: {
    container?: HTMLDivElement // embed here; without it the payer is redirected to Dintero's page
    saveCard?: boolean // logged-in customers only, with the provider's saveCards option
    savedCardId?: string // one-click with a card from GET /store/dintero/payment-methods
    endpoint?: string // the emulator's URL while developing, e.g. http://127.0.0.1:4550
  } = {}
) {
  const { payment_collection } = await sdk.store.payment.initiatePaymentSession(cart, {
    provider_id: DINTERO,
    data: {
      ...(options.saveCard ? { save_card: true } : {}),
      ...(options.savedCardId ? { payment_method_id: options.savedCardId } : {}),
    },
  })
  const session = payment_collection.payment_sessions?.find((s) => s.provider_id === DINTERO)
  const { session_id: sid } = (session?.data as { dintero: { session_id: string } }).dintero

  if (!options.container) {
    redirect({ sid, ...(options.endpoint ? { endpoint: options.endpoint } : {}) })
    return
  }
  // Without payment handlers the SDK follows the session's return URL when the payment ends, so the
  // return page below is the one place that completes the cart.
  await embed({ container: options.container, sid, ...(options.endpoint ? { endpoint: options.endpoint } : {}) })
}

/**
 * On the return page: `?transaction_id=…` means paid, `?error=cancelled|authorization|failed` means not.
 * Dintero's callback may be completing the same cart at this moment (409), or may already have done it
 * (Medusa then answers with the same order), so a customer never gets two orders.
 */
export async function completeOnReturn(sdk: Medusa, cartId: string, query: URLSearchParams) {
  if (query.get("error")) {
    return { type: "not_paid" as const, reason: query.get("error") }
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      const result = await sdk.store.cart.complete(cartId)
      return result.type === "order"
        ? { type: "order" as const, order: result.order }
        : { type: "not_paid" as const, reason: result.error?.message }
    } catch (error) {
      if ((error as { status?: number }).status !== 409) throw error
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  }
  throw new Error("The order is still being placed; refresh the page in a moment.")
}

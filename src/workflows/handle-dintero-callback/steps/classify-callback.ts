import { ContainerRegistrationKeys, PaymentActions } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { WebhookActionResult } from "@medusajs/framework/types"

/**
 * The kinds of Dintero callback, each handled by its own branch of handle-dintero-callback:
 * - `payment`: a payment Dintero authorized (or auto-captured) that Medusa has not completed yet;
 * - `operations`: a payment Medusa holds, whose transaction may show captures, refunds or voids made since
 *   (report_event; a replayed payment callback lands here too and finds nothing to record);
 * - `failure`: a payment that failed or was cancelled (report_error), with or without a transaction;
 * - `held_charge`: a merchant-initiated charge (a subscription renewal) Dintero held (ON_HOLD) and has now
 *   decided, not yet settled in Medusa (workflows/settle-merchant-initiated-charge);
 * - `card_setup`: a card saved without a purchase (Dintero's zero-amount token session) for a card setup of
 *   the plugin (workflows/card-setup), completed once, whichever of this callback and the customer's return
 *   comes first;
 * - `ignored`: anything else (a payment still ON_HOLD, a transaction that is not one of our sessions, a
 *   merchant-initiated charge already settled).
 */
export type DinteroCallbackKind = "payment" | "operations" | "failure" | "held_charge" | "card_setup" | "ignored"

/**
 * Runs under the callback's lock, so what it finds in Medusa does not change under the branch it picks. A
 * payment that has its Payment but whose cart has no order yet is still a `payment`: its completion failed
 * and this retry is what places the order (confirm-callback-outcome.ts).
 */
export const classifyCallbackStep = createStep(
  "classify-dintero-callback",
  async (input: { result: WebhookActionResult; query: string }, { container }) => {
    const { result } = input
    const sessionId = result.data?.session_id
    const failed = result.action === PaymentActions.FAILED || new URLSearchParams(input.query).has("error")
    if (!sessionId) {
      return classified(failed ? "failure" : "ignored", null)
    }
    if ((result.data as { card_setup?: unknown }).card_setup) {
      // No Medusa payment session: the transaction's merchant_reference is a card setup (card-setup.ts).
      return classified("card_setup", null)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: payments } = await query.graph({ entity: "payment", fields: ["id"], filters: { payment_session_id: sessionId } })
    const paymentId: string | null = payments[0]?.id ?? null
    if ((result.data as { merchant_initiated?: unknown }).merchant_initiated) {
      // Checked before `failure`: a held charge Dintero declined also arrives with report_error's `error`.
      return classified(paymentId ? "ignored" : "held_charge", paymentId)
    }
    const authorized = result.action === PaymentActions.AUTHORIZED || result.action === PaymentActions.SUCCESSFUL
    if (authorized) {
      const { placed, cartId } = await orderPlaced(query, sessionId)
      if (!(paymentId && placed)) {
        // Neither a Payment nor an order yet, under the lock: the first completion of this payment, which may
        // authorize with the transaction this callback read (verified-transaction.ts). Anything else (an order
        // placed meanwhile with another payment, whose authorization the reconciliation may have voided while
        // this callback waited for the lock) reads Dintero again.
        const firstCompletion = !paymentId && !placed
        return classified("payment", paymentId, firstCompletion, cartId)
      }
    }
    if (paymentId) {
      return classified("operations", paymentId)
    }
    return classified(failed ? "failure" : "ignored", null)
  }
)

/**
 * The branch to run; `first_completion` only for a payment with neither a Payment nor an order yet, and for a
 * payment, the cart it pays for (found here, so that confirming the outcome need not look it up again).
 */
export type CallbackClassification = {
  kind: DinteroCallbackKind
  payment_id: string | null
  first_completion: boolean
  cart_id: string | null
}

function classified(kind: DinteroCallbackKind, paymentId: string | null, firstCompletion = false, cartId: string | null = null) {
  return new StepResponse<CallbackClassification>({ kind, payment_id: paymentId, first_completion: firstCompletion, cart_id: cartId })
}

/** Whether the session's cart (if it belongs to one) has its order, and which cart that is. */
async function orderPlaced(
  query: { graph: (config: any) => Promise<{ data: any[] }> },
  sessionId: string
): Promise<{ placed: boolean; cartId: string | null }> {
  const { data: sessions } = await query.graph({ entity: "payment_session", fields: ["payment_collection_id"], filters: { id: sessionId } })
  const collectionId = sessions[0]?.payment_collection_id
  if (!collectionId) {
    return { placed: true, cartId: null }
  }
  const { data: carts } = await query.graph({ entity: "cart_payment_collection", fields: ["cart_id"], filters: { payment_collection_id: collectionId } })
  const cartId = carts[0]?.cart_id
  if (!cartId) {
    return { placed: true, cartId: null }
  }
  const { data: orders } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  return { placed: orders.length > 0, cartId }
}

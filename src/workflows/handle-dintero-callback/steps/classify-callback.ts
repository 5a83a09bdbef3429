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
      return new StepResponse({ kind: (failed ? "failure" : "ignored") as DinteroCallbackKind, payment_id: null as string | null })
    }
    if ((result.data as { card_setup?: unknown }).card_setup) {
      // No Medusa payment session: the transaction's merchant_reference is a card setup (card-setup.ts).
      return new StepResponse({ kind: "card_setup" as DinteroCallbackKind, payment_id: null as string | null })
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: payments } = await query.graph({ entity: "payment", fields: ["id"], filters: { payment_session_id: sessionId } })
    const paymentId: string | null = payments[0]?.id ?? null
    if ((result.data as { merchant_initiated?: unknown }).merchant_initiated) {
      // Checked before `failure`: a held charge Dintero declined also arrives with report_error's `error`.
      return new StepResponse({ kind: (paymentId ? "ignored" : "held_charge") as DinteroCallbackKind, payment_id: paymentId })
    }
    const authorized = result.action === PaymentActions.AUTHORIZED || result.action === PaymentActions.SUCCESSFUL
    if (authorized && !(paymentId && (await orderPlaced(query, sessionId)))) {
      return new StepResponse({ kind: "payment" as DinteroCallbackKind, payment_id: paymentId })
    }
    if (paymentId) {
      return new StepResponse({ kind: "operations" as DinteroCallbackKind, payment_id: paymentId })
    }
    return new StepResponse({ kind: (failed ? "failure" : "ignored") as DinteroCallbackKind, payment_id: null })
  }
)

/** Whether the session's cart (if it belongs to one) has its order. */
async function orderPlaced(query: { graph: (config: any) => Promise<{ data: any[] }> }, sessionId: string): Promise<boolean> {
  const { data: sessions } = await query.graph({ entity: "payment_session", fields: ["payment_collection_id"], filters: { id: sessionId } })
  const collectionId = sessions[0]?.payment_collection_id
  if (!collectionId) {
    return true
  }
  const { data: carts } = await query.graph({ entity: "cart_payment_collection", fields: ["cart_id"], filters: { payment_collection_id: collectionId } })
  const cartId = carts[0]?.cart_id
  if (!cartId) {
    return true
  }
  const { data: orders } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  return orders.length > 0
}

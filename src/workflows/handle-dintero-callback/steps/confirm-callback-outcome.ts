import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/**
 * Checks in the database that an authorized (or captured) Dintero payment ended where it must: a Payment
 * for the session and, when the session belongs to a cart, an order for that cart. processPaymentWorkflow
 * completes the cart with `continueOnPermanentFailure` (core-flows payment/workflows/process-payment.js), so
 * a completion that failed (Dintero briefly unreachable, a lock timeout) would otherwise be answered 200 and
 * Dintero would stop retrying with the authorization open and no order. Failing here makes the route answer
 * 5xx, and Dintero's retry completes it.
 */
export const confirmCallbackOutcomeStep = createStep(
  "confirm-dintero-callback-outcome",
  async (input: { paymentSessionId: string; transactionId?: string; cartId?: string | null }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)

    const { data: payments } = await query.graph({
      entity: "payment",
      fields: ["id"],
      filters: { payment_session_id: input.paymentSessionId },
    })
    // The cart, as the classification found it under the same lock (a session's cart does not change).
    const cartId = input.cartId ?? (await cartOf(query, input.paymentSessionId))
    const { data: orders } = cartId
      ? await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
      : { data: [] as Array<{ order_id: string }> }

    const missing = [
      payments.length ? undefined : `no payment for session ${input.paymentSessionId}`,
      cartId && !orders.length ? `no order for cart ${cartId}` : undefined,
    ].filter(Boolean)
    if (missing.length) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `Dintero callback for transaction ${input.transactionId ?? "?"} not completed: ${missing.join(", ")}`
      )
    }
    return new StepResponse({ paymentId: payments[0].id, orderId: orders[0]?.order_id ?? null })
  }
)

async function cartOf(query: { graph: (config: any) => Promise<{ data: any[] }> }, paymentSessionId: string): Promise<string | undefined> {
  const { data: sessions } = await query.graph({
    entity: "payment_session",
    fields: ["payment_collection_id"],
    filters: { id: paymentSessionId },
  })
  const collectionId = sessions[0]?.payment_collection_id
  const { data: carts } = collectionId
    ? await query.graph({ entity: "cart_payment_collection", fields: ["cart_id"], filters: { payment_collection_id: collectionId } })
    : { data: [] as Array<{ cart_id: string }> }
  return carts[0]?.cart_id
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

type Container = Pick<MedusaContainer, "resolve">

export type MedusaRecords = {
  /** A Payment Medusa holds (not canceled) for this session, or for this very Dintero transaction. */
  livePaymentId: string | null
  /** A live Payment of another session in the same collection (the cart was paid another way). */
  otherLivePaymentId: string | null
  cartId: string | null
  cartGone: boolean
  orderId: string | null
}

/**
 * What Medusa holds for a payment session and its Dintero transaction: its Payment, its cart (a collection
 * of an order edit or a subscription charge has none) and the cart's order, and whether the cart was paid
 * with another session.
 */
export async function medusaRecordsOf(
  container: Container,
  input: { payment_session_id: string; payment_collection_id: string; transaction_id: string }
): Promise<MedusaRecords> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: rows } = await query.graph({
    entity: "payment",
    fields: ["id", "payment_session_id", "data", "canceled_at"],
    filters: { payment_collection_id: input.payment_collection_id },
  })
  const payments = (rows as Array<{ id: string; payment_session_id?: string; data?: unknown; canceled_at?: unknown }>).filter(
    (payment) => !payment.canceled_at
  )
  const ours = payments.find(
    (payment) =>
      payment.payment_session_id === input.payment_session_id ||
      (payment.data as { dintero?: { transaction_id?: string } } | null)?.dintero?.transaction_id === input.transaction_id
  )
  const other = payments.find((payment) => payment !== ours)

  const { data: links } = await query.graph({
    entity: "cart_payment_collection",
    fields: ["cart_id"],
    filters: { payment_collection_id: input.payment_collection_id },
  })
  const cartId = (links[0] as { cart_id?: string } | undefined)?.cart_id ?? null
  let cartGone = false
  let orderId: string | null = null
  if (cartId) {
    const { data: carts } = await query.graph({ entity: "cart", fields: ["id"], filters: { id: cartId } })
    cartGone = carts.length === 0
    const { data: orders } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
    orderId = (orders[0] as { order_id?: string } | undefined)?.order_id ?? null
  }
  return { livePaymentId: ours?.id ?? null, otherLivePaymentId: other?.id ?? null, cartId, cartGone, orderId }
}

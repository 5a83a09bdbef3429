import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { isExpressMetadata } from "../../providers/dintero/session-metadata"
import { dinteroAccess } from "../reconcile-dintero-payments/dintero-access"
import { expressSessionOfCart, linkExpressSession, liveExpressSession, loadExpressCart, oneExpressChangeAtATime } from "./express-cart"

/**
 * Embedded express: the storefront locked the session (Web SDK `lockSession()`) and changed the cart through
 * Medusa's store API; Dintero must show the new order before the shopper can pay (docs/express.md). The cart's
 * express Dintero session (its live payment session's, or the one the storefront names after Medusa deleted the
 * payment session on the total change, checked with Dintero to be this cart's and open) gets a Medusa payment
 * session linked again, and the provider
 * PUTs the cart's order and shipping options with the payer's lock, releasing it (`remove_lock`).
 */
export async function syncExpressSession(container: MedusaContainer, cartId: string, namedSessionId?: string) {
  const cart = await loadExpressCart(container, cartId)
  if (!cart || cart.completed_at) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${cartId} has no open express checkout.`)
  }
  const current = await expressSessionOfCart(container, cart, namedSessionId)
  if (!current) {
    throw new MedusaError(
      MedusaError.Types.NOT_FOUND,
      `Cart ${cartId} has no express checkout${namedSessionId ? ` with Dintero session ${namedSessionId}` : ": send the Dintero session id as session_id"}.`
    )
  }
  const { client } = dinteroAccess(container, current.providerId)
  const session = await client.getSession(current.sessionId)
  if (session.order?.merchant_reference_2 !== cart.id || !isExpressMetadata(session.metadata) || session.cancelled_at || session.transaction_id) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `The express checkout of cart ${cartId} is paid or closed at Dintero: create a new payment session to pay the cart as it is now.`
    )
  }
  return oneExpressChangeAtATime(container, cart.id, async () => {
    // Linked again even when the live session still exists: that PUTs the order under the payer's lock.
    const linked = await linkExpressSession(container, cart, current.providerId, {
      session_id: current.sessionId,
      checkout_url: current.checkoutUrl,
      update: "locked",
    })
    const after = await loadExpressCart(container, cart.id)
    const live = after ? liveExpressSession(after, current.sessionId) : undefined
    return { payment_session: { id: live?.id ?? linked.id, data: { dintero: live?.data } }, dintero_session_id: current.sessionId }
  })
}

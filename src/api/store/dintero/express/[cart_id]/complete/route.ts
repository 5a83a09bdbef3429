import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { sessionIdOf } from "../../validators"
import { completeExpressCheckout } from "../../../../../../workflows/dintero-express"

/**
 * The shopper's return from an express checkout: the cart takes the address and shipping option chosen in Dintero
 * and is completed, as Dintero's callback would do it (docs/express.md). Medusa's own /store/carts/:id/complete
 * cannot: the shipping method is only known from Dintero's transaction.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const { order_id } = await completeExpressCheckout(req.scope, req.params.cart_id, sessionIdOf(req.body))
  res.status(200).json({ type: "order", order: { id: order_id } })
}

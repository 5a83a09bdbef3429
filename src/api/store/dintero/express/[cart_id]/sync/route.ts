import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { sessionIdOf } from "../../validators"
import { syncExpressSession } from "../../../../../../workflows/dintero-express"

/**
 * Embedded express: after the storefront locked the Dintero session (Web SDK `lockSession()`) and changed the cart,
 * the cart's order and shipping options are PUT on the session with the lock and `remove_lock: true`
 * (docs/express.md). The cart id is the only input; everything sent comes from the Medusa cart.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  res.status(200).json(await syncExpressSession(req.scope, req.params.cart_id, sessionIdOf(req.body)))
}

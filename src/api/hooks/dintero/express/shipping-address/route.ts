import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { answerExpressCallback } from "../express-route"

/**
 * Dintero's shipping-address callback of an express checkout (docs /docs/checkout/shipping-address-callback,
 * docs/express.md): the address goes on the Medusa cart, and the answer is Medusa's shipping options and order.
 * Dintero does not retry it and waits at most 60 s, so the route does only that.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await answerExpressCallback(req, res, "shipping-address")
}

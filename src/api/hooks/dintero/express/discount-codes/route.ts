import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { answerExpressCallback } from "../express-route"

/**
 * Dintero's discount-codes callback of an express checkout (docs /docs/checkout/checkout-express-discount-code,
 * docs/express.md): the codes become the Medusa cart's promotion codes; the answer is the new order, or Dintero's
 * error shape for a code Medusa refuses.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await answerExpressCallback(req, res, "discount-codes")
}

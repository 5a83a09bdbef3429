import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { releaseDinteroPaymentRestWorkflow } from "../../../../../../workflows/release-payment-rest"

/**
 * POST /admin/dintero/payments/:id/release — releases the uncaptured rest of a part-captured Dintero payment
 * (a void of the remainder, where the payment product allows it) and answers the payment's Dintero state.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const { result } = await releaseDinteroPaymentRestWorkflow(req.scope).run({ input: { payment_id: req.params.id } })
  res.json({ payment: result })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { captureDinteroPaymentWorkflow } from "../../../../../../workflows/release-payment-rest"
import type { AdminDinteroCaptureBody } from "../../validators"

/**
 * POST /admin/dintero/payments/:id/capture { amount, final? } — a capture recorded by Medusa's own capture
 * workflow; `final: true` releases the rest of the authorization with it. Answers the payment's Dintero state.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminDinteroCaptureBody>, res: MedusaResponse) {
  const { result } = await captureDinteroPaymentWorkflow(req.scope).run({
    input: { payment_id: req.params.id, amount: req.validatedBody.amount, final: req.validatedBody.final, captured_by: req.auth_context?.actor_id },
  })
  res.json({ payment: result })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { deleteSavedCardWorkflow } from "../../../../../workflows/saved-cards"

/** DELETE /store/dintero/payment-methods/:id: forget one of the logged-in customer's own saved cards. */
export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await deleteSavedCardWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id, card_id: req.params.id },
  })
  res.json({ id: result.id, object: "payment_method", deleted: result.deleted })
}

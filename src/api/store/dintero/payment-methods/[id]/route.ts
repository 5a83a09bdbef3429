import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { deleteSavedCardWorkflow } from "../../../../../workflows/saved-cards"

/**
 * DELETE /store/dintero/payment-methods/:id: forget one of the logged-in customer's own saved cards. The
 * customer's own choice stands even when their subscriptions pay with it (as before the admin's guard).
 */
export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await deleteSavedCardWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id, card_id: req.params.id, when_subscriptions_use_it: "delete" },
  })
  res.json({ id: result.id, object: "payment_method", deleted: result.deleted })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { completeCardSetupWorkflow } from "../../../../../../../workflows/card-setup"

/**
 * POST /store/dintero/payment-methods/sessions/:id/complete: the customer is back from Dintero. The card
 * setup completes from what Dintero says (`status: "open"` while the card is not saved yet), once: the
 * callback may have completed it already, and then this answers what it did.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await completeCardSetupWorkflow(req.scope).run({
    input: { id: req.params.id, customer_id: req.auth_context.actor_id },
  })
  res.json({ card_setup: result })
}

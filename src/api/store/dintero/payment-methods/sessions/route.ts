import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { startCardSetupWorkflow } from "../../../../../workflows/card-setup"
import type { StoreStartCardSetupType } from "../../validators"

/**
 * POST /store/dintero/payment-methods/sessions: the logged-in customer saves a card without buying (Dintero's
 * zero-amount token session). Answers the card setup and the Dintero session (`session_id` for the Web SDK,
 * `url` for the hosted page). After Dintero, POST .../sessions/:id/complete (or Dintero's callback) saves it.
 */
export async function POST(req: AuthenticatedMedusaRequest<StoreStartCardSetupType>, res: MedusaResponse) {
  const { result } = await startCardSetupWorkflow(req.scope).run({
    input: { ...req.validatedBody, customer_id: req.auth_context.actor_id },
  })
  res.status(201).json({ card_setup: result })
}

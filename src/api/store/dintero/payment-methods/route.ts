import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listSavedCardsWorkflow } from "../../../../workflows/saved-cards"

/** GET /store/dintero/payment-methods: the logged-in customer's saved cards, masked. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await listSavedCardsWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id },
  })
  res.json({ payment_methods: result })
}

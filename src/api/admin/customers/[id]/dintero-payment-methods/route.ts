import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listSavedCardsWorkflow } from "../../../../../workflows/saved-cards"

/** GET /admin/customers/:id/dintero-payment-methods: a customer's saved cards, masked. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await listSavedCardsWorkflow(req.scope).run({ input: { customer_id: req.params.id } })
  res.json({ payment_methods: result })
}

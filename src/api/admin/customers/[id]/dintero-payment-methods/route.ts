import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { describeSavedCardsWorkflow } from "../../../../../workflows/saved-cards"

/**
 * GET /admin/customers/:id/dintero-payment-methods: a customer's saved cards, masked (brand, masked PAN,
 * expiry), each with where it came from and the live subscriptions it pays. Never a token, sealed or not.
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await describeSavedCardsWorkflow(req.scope).run({ input: { customer_id: req.params.id } })
  res.json({ payment_methods: result })
}

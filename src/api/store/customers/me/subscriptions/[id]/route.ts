import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { querySubscription, STORE_SUBSCRIPTION_FIELDS } from "../../../../../admin/subscriptions/query"

/** GET /store/customers/me/subscriptions/:id: 404 for anyone else's subscription. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const subscription = await querySubscription(req.scope, req.params.id, STORE_SUBSCRIPTION_FIELDS, req.auth_context.actor_id)
  res.json({ subscription })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../query"

/** GET /admin/subscriptions/:id: the subscription with every charge attempt and its orders. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  res.json({ subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

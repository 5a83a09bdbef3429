import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { STORE_SUBSCRIPTION_FIELDS } from "../../../../admin/subscriptions/query"

/** GET /store/customers/me/subscriptions: the logged-in customer's subscriptions, newest first. */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "subscription",
    fields: STORE_SUBSCRIPTION_FIELDS,
    filters: { customer_id: req.auth_context.actor_id },
    pagination: { order: { created_at: "DESC" }, take: 100 },
  })
  res.json({ subscriptions: data })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { unskipSubscriptionPeriodWorkflow } from "../../../../../../../workflows/subscriptions"
import { querySubscription, STORE_SUBSCRIPTION_FIELDS } from "../../../../../../admin/subscriptions/query"

/** POST /store/customers/me/subscriptions/:id/unskip: take back the skip of the next period. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const customerId = req.auth_context.actor_id
  await unskipSubscriptionPeriodWorkflow(req.scope).run({ input: { id: req.params.id, customer_id: customerId } })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, STORE_SUBSCRIPTION_FIELDS, customerId) })
}

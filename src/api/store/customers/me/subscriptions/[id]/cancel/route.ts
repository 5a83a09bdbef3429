import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { cancelSubscriptionWorkflow } from "../../../../../../../workflows/subscriptions"
import { querySubscription, STORE_SUBSCRIPTION_FIELDS } from "../../../../../../admin/subscriptions/query"
import type { StoreCancelSubscriptionType } from "../../validators"

/** POST /store/customers/me/subscriptions/:id/cancel { at_period_end? = true } */
export async function POST(req: AuthenticatedMedusaRequest<StoreCancelSubscriptionType>, res: MedusaResponse) {
  const customerId = req.auth_context.actor_id
  await cancelSubscriptionWorkflow(req.scope).run({
    input: { id: req.params.id, customer_id: customerId, at_period_end: req.validatedBody.at_period_end },
  })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, STORE_SUBSCRIPTION_FIELDS, customerId) })
}

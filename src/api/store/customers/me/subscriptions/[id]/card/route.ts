import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { changeSubscriptionCardWorkflow } from "../../../../../../../workflows/subscriptions"
import { querySubscription, STORE_SUBSCRIPTION_FIELDS } from "../../../../../../admin/subscriptions/query"
import type { StoreSubscriptionCardChangeType } from "../../validators"

/** POST /store/customers/me/subscriptions/:id/card { card_id }: one of the customer's own saved cards. */
export async function POST(req: AuthenticatedMedusaRequest<StoreSubscriptionCardChangeType>, res: MedusaResponse) {
  const customerId = req.auth_context.actor_id
  await changeSubscriptionCardWorkflow(req.scope).run({
    input: { id: req.params.id, customer_id: customerId, card_id: req.validatedBody.card_id },
  })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, STORE_SUBSCRIPTION_FIELDS, customerId) })
}

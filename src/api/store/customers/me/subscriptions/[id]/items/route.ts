import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { changeSubscriptionItemsWorkflow } from "../../../../../../../workflows/subscriptions"
import { querySubscription, STORE_SUBSCRIPTION_FIELDS } from "../../../../../../admin/subscriptions/query"
import type { StoreChangeSubscriptionItemsType } from "../../validators"

/**
 * POST /store/customers/me/subscriptions/:id/items { items: [{ variant_id, quantity }] }: the item lines
 * from the next period on, priced by Medusa. A body naming a price (or anything else) is refused.
 */
export async function POST(req: AuthenticatedMedusaRequest<StoreChangeSubscriptionItemsType>, res: MedusaResponse) {
  const customerId = req.auth_context.actor_id
  const { result } = await changeSubscriptionItemsWorkflow(req.scope).run({
    input: { id: req.params.id, customer_id: customerId, items: req.validatedBody.items },
  })
  res.json({
    subscription: await querySubscription(req.scope, req.params.id, STORE_SUBSCRIPTION_FIELDS, customerId),
    change: { applies_from: result.change.applies_from, amount: result.change.amount },
  })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { changeSubscriptionCardWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"
import type { SubscriptionCardChangeType } from "../../validators"

/** POST /admin/subscriptions/:id/card { card_id }: another card the customer saved. */
export async function POST(req: AuthenticatedMedusaRequest<SubscriptionCardChangeType>, res: MedusaResponse) {
  await changeSubscriptionCardWorkflow(req.scope).run({ input: { id: req.params.id, card_id: req.validatedBody.card_id } })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { cancelSubscriptionWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"
import type { AdminCancelSubscriptionType } from "../../validators"

/** POST /admin/subscriptions/:id/cancel { at_period_end? }: now by default. */
export async function POST(req: AuthenticatedMedusaRequest<AdminCancelSubscriptionType>, res: MedusaResponse) {
  await cancelSubscriptionWorkflow(req.scope).run({ input: { id: req.params.id, at_period_end: req.validatedBody.at_period_end } })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

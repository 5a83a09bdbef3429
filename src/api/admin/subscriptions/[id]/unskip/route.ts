import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { unskipSubscriptionPeriodWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"

/** POST /admin/subscriptions/:id/unskip: take back the skip of the next period. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await unskipSubscriptionPeriodWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

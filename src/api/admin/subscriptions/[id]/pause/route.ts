import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { pauseSubscriptionWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"

/** POST /admin/subscriptions/:id/pause: no charges until resumed. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await pauseSubscriptionWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

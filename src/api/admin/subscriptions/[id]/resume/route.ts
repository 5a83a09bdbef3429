import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { resumeSubscriptionWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"

/** POST /admin/subscriptions/:id/resume: a paused subscription, or one set to cancel at period end. */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await resumeSubscriptionWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

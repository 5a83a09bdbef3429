import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { skipSubscriptionPeriodWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"

/** POST /admin/subscriptions/:id/skip: skip the next period: the renewal job passes over it without charging (limit: maxSkipsPerYear). */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  await skipSubscriptionPeriodWorkflow(req.scope).run({ input: { id: req.params.id } })
  res.json({ subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

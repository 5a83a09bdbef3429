import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { changeSubscriptionPlanWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"
import type { AdminChangeSubscriptionPlanType } from "../../validators"

/**
 * POST /admin/subscriptions/:id/change-plan { items, interval?, interval_count?, prorate? }
 * The new plan bills from the next period; `prorate: true` charges an upgrade's difference for the rest
 * of the current period now (422 and no change if the card declines it).
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminChangeSubscriptionPlanType>, res: MedusaResponse) {
  const { result } = await changeSubscriptionPlanWorkflow(req.scope).run({ input: { id: req.params.id, ...req.validatedBody } })
  res.json({
    subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS),
    proration: result.proration,
  })
}

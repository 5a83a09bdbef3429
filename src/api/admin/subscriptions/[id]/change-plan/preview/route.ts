import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { previewSubscriptionPlanChangeWorkflow } from "../../../../../../workflows/subscriptions"
import type { AdminChangeSubscriptionPlanType } from "../../../validators"

/**
 * POST /admin/subscriptions/:id/change-plan/preview, the body of change-plan: what the change would
 * charge now (the proration) and bill from the next period, without changing or charging anything.
 */
export async function POST(req: AuthenticatedMedusaRequest<AdminChangeSubscriptionPlanType>, res: MedusaResponse) {
  const { result } = await previewSubscriptionPlanChangeWorkflow(req.scope).run({ input: { id: req.params.id, ...req.validatedBody } })
  res.json({ preview: result })
}

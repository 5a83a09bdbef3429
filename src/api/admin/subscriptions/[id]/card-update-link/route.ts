import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { issueCardUpdateLinkWorkflow } from "../../../../../workflows/card-setup"
import type { AdminIssueCardUpdateLinkType } from "../../validators"

/** POST /admin/subscriptions/:id/card-update-link { ttl_hours? }: a single-use link for the customer to replace the card. */
export async function POST(req: AuthenticatedMedusaRequest<AdminIssueCardUpdateLinkType>, res: MedusaResponse) {
  const { result } = await issueCardUpdateLinkWorkflow(req.scope).run({
    input: { subscription_id: req.params.id, ttl_hours: req.validatedBody.ttl_hours },
  })
  res.status(201).json({ card_update_link: result })
}

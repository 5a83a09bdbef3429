import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { completeCardSetupWorkflow } from "../../../../../../../workflows/card-setup"
import type { StoreCardUpdateLinkType } from "../../../../validators"

/**
 * POST /store/dintero/card-update-link/sessions/:id/complete { token }: back from Dintero through a link. The
 * card is saved and attached to the link's subscription, which uses the link up (once, even if the callback or
 * another tab completes at the same moment).
 */
export async function POST(req: MedusaRequest<StoreCardUpdateLinkType>, res: MedusaResponse) {
  const { result } = await completeCardSetupWorkflow(req.scope).run({
    input: { id: req.params.id, link_token: req.validatedBody.token },
  })
  res.json({ card_setup: result })
}

import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { describeCardUpdateLinkWorkflow } from "../../../../workflows/card-setup"
import type { StoreCardUpdateLinkType } from "../validators"

/** POST /store/dintero/card-update-link { token }: what the card-update page shows (no login; the token is the credential). */
export async function POST(req: MedusaRequest<StoreCardUpdateLinkType>, res: MedusaResponse) {
  const { result } = await describeCardUpdateLinkWorkflow(req.scope).run({ input: { token: req.validatedBody.token } })
  res.json({ card_update_link: result })
}

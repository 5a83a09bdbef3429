import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { startCardSetupWorkflow } from "../../../../../workflows/card-setup"
import type { StoreStartCardUpdateLinkSetupType } from "../../validators"

/** POST /store/dintero/card-update-link/sessions { token }: opens the Dintero session for the link's subscription. */
export async function POST(req: MedusaRequest<StoreStartCardUpdateLinkSetupType>, res: MedusaResponse) {
  const { token, ...rest } = req.validatedBody
  const { result } = await startCardSetupWorkflow(req.scope).run({ input: { ...rest, link_token: token } })
  res.status(201).json({ card_setup: result })
}

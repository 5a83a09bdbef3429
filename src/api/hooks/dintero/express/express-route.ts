import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { handleExpressCallback, type ExpressCallbackKind } from "../../../../workflows/dintero-express"

/** Both express callbacks: Dintero's session in, Dintero's answer out; a failure is a 5xx Dintero shows as an error. */
export async function answerExpressCallback(req: MedusaRequest, res: MedusaResponse, kind: ExpressCallbackKind) {
  try {
    const signature = typeof req.headers["dintero-signature"] === "string" ? req.headers["dintero-signature"] : undefined
    const answer = await handleExpressCallback(req.scope, kind, req.body, signature)
    res.status(answer.status).json(answer.body)
  } catch (error) {
    req.scope.resolve(ContainerRegistrationKeys.LOGGER).error(`Dintero express ${kind} callback failed: ${(error as Error).message}`)
    res.status(500).json({ error: { code: "UNEXPECTED_ERROR", message: "The cart could not be updated now." } })
  }
}

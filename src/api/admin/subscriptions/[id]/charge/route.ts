import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { renewSubscriptionPeriodWorkflow } from "../../../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, querySubscription } from "../../query"

const REFUSALS: Record<string, [string, string]> = {
  not_found: [MedusaError.Types.NOT_FOUND, "was not found"],
  locked: [MedusaError.Types.CONFLICT, "is being renewed right now; try again"],
  inactive: [MedusaError.Types.NOT_ALLOWED, "is not active or past_due"],
}

/**
 * POST /admin/subscriptions/:id/charge: renews the next period now (a past_due one is retried at once,
 * except after Dintero's DO_NOT_RETRY on the same card). Answers with the outcome: renewed, failed, unknown.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await renewSubscriptionPeriodWorkflow(req.scope).run({ input: { subscription_id: req.params.id, force: true } })
  const refusal = result.outcome === "skipped" ? REFUSALS[result.reason ?? ""] : undefined
  if (refusal) {
    throw new MedusaError(refusal[0], `Subscription ${req.params.id} ${refusal[1]}.`)
  }
  res.json({ renewal: result, subscription: await querySubscription(req.scope, req.params.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { renewSubscriptionPeriodWorkflow } from "../../subscriptions/renew-subscription-period"

export type PastDueRetry = { id: string; outcome: string; charge_id: string | null }

/**
 * A past_due subscription given a new card is charged again at once, rather than at the renewal job's next
 * run: changeCard made it due now and pointed it at the new card, so the renewal charges that card and no
 * other. The renewal runs under the subscription's lock like any other; an outcome the renewal could not
 * reach now (another run holds the subscription) is left to the job, for which it is due.
 */
export const retryPastDueSubscriptionsStep = createStep(
  "retry-past-due-subscriptions-with-new-card",
  async (input: { subscription_ids: string[] }, { container }) => {
    const retried: PastDueRetry[] = []
    for (const id of input.subscription_ids) {
      try {
        const { result } = await renewSubscriptionPeriodWorkflow(container).run({
          input: { subscription_id: id, now: new Date().toISOString(), lock_wait_seconds: 10 },
        })
        retried.push({ id, outcome: result.outcome, charge_id: result.charge_id ?? null })
      } catch (error) {
        retried.push({ id, outcome: "left_to_renewal_job", charge_id: null })
      }
    }
    return new StepResponse(retried)
  }
)

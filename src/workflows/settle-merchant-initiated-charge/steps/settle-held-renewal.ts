import { MedusaError, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MerchantInitiatedDecision } from "../../../providers/dintero/callback"
import { subscriptionModule } from "../../subscriptions/helpers"
import { renewSubscriptionPeriodWorkflow } from "../../subscriptions/renew-subscription-period"

/** How long a callback waits for the subscription's lock (the renewal job or another delivery may hold it). */
const LOCK_WAIT_SECONDS = 30

export type HeldRenewalSettlement = {
  subscription_id: string | null
  outcome: string
  order_id: string | null
}

/**
 * Dintero decided a renewal charge it held for review: the subscription's period is renewed (order, payment,
 * period advanced) or the attempt declined (dunning), by the renewal workflow itself with `settle_reference`,
 * i.e. exactly as the renewal job would, under the same per-subscription lock. The callback waits for the lock
 * and fails (so Dintero retries) rather than skip; once the period is settled, every further delivery, and
 * the job, finds nothing left to do. Nothing is charged here: the held transaction is settled as it is.
 *
 * A proration charge, a reference no subscription knows, or a charge that was not held is not ours to settle:
 * nothing happens.
 */
export const settleHeldRenewalStep = createStep(
  "settle-held-dintero-renewal",
  async (decision: MerchantInitiatedDecision, { container }) => {
    // Only a charge Medusa holds as ON_HOLD (its payment session `pending_authorization`, on this very
    // transaction) waits for this callback. Any other charge's callback (an approved charge, which the job
    // recorded as it ran; one whose session is gone) needs nothing, and must not take the subscription's
    // lock from the job that is renewing it right now.
    const [session] = await container
      .resolve(Modules.PAYMENT)
      .listPaymentSessions({ id: decision.payment_session_id }, { select: ["id", "status", "data"] })
    const held =
      session?.status === PaymentSessionStatus.PENDING_AUTHORIZATION &&
      (session.data as { dintero?: { transaction_id?: string } } | null)?.dintero?.transaction_id === decision.transaction_id
    if (!held) {
      return new StepResponse<HeldRenewalSettlement>({ subscription_id: null, outcome: "not_held", order_id: null })
    }
    const [charge] = await subscriptionModule(container).listSubscriptionCharges(
      { merchant_reference: decision.merchant_reference },
      { select: ["id", "subscription_id", "kind"], order: { attempt: "DESC" }, take: 1 }
    )
    if (!charge || charge.kind !== "renewal") {
      return new StepResponse<HeldRenewalSettlement>({ subscription_id: null, outcome: "ignored", order_id: null })
    }
    const { result } = await renewSubscriptionPeriodWorkflow(container).run({
      input: { subscription_id: charge.subscription_id, settle_reference: decision.merchant_reference, lock_wait_seconds: LOCK_WAIT_SECONDS },
      throwOnError: true,
    })
    if (result.outcome === "unknown") {
      // Dintero has decided, but Medusa could not record it now (e.g. Dintero unreachable on the read-back):
      // failing makes the callback answer 5xx, and Dintero's retry settles it.
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `The ${decision.status} charge ${decision.transaction_id} of ${decision.merchant_reference} could not be settled now: ${result.reason ?? "unknown"}`
      )
    }
    return new StepResponse<HeldRenewalSettlement>({
      subscription_id: charge.subscription_id,
      outcome: result.outcome,
      order_id: result.order_id,
    })
  }
)

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { decideRetry } from "../../../modules/subscription/dunning"
import { subscriptionModule } from "../helpers"
import type { ChargeOutcome } from "./charge-saved-card"
import type { OpenCharge } from "./open-charge"
import type { RenewalPlan } from "./plan-renewal"

export type RenewalSettlement = {
  outcome: "renewed" | "failed" | "unknown" | "skipped" | "period_skipped" | "canceled" | "expired"
  reason?: string
  charge_id: string | null
  status: string | null
  next_charge_at: string | null
  /** Set when this settlement moved the subscription into past_due or stopped its automatic retries. */
  past_due_reason?: "retrying" | "do_not_retry" | "dunning_exhausted"
  decline?: Extract<ChargeOutcome, { status: "failed" }>["decline"]
  attempt?: number
}

const SUBSCRIPTION_FIELDS = ["status", "next_charge_at", "canceled_at", "ended_at", "cancel_at_period_end"] as const

/**
 * Records what happened to the attempt and, for a decline or the end of a subscription, what that means
 * for the subscription: Dintero's retry policy and the dunning schedule (modules/subscription/dunning.ts)
 * decide the next attempt, past_due, or cancellation. A success is recorded here and only advances the
 * period once its order exists (advance-period). Compensation restores the subscription, never the record
 * of a charge: money that moved stays written down.
 */
export const settleRenewalStep = createStep(
  "settle-subscription-renewal",
  async (input: { plan: RenewalPlan; charge: OpenCharge | null; outcome: ChargeOutcome | null }, { container }) => {
    const { plan, charge, outcome } = input
    const service = subscriptionModule(container)
    const now = new Date(plan.now)
    const settle = (settlement: RenewalSettlement, previous?: Record<string, unknown>) => new StepResponse(settlement, previous)

    if (plan.action === "skip") {
      return settle({ outcome: "skipped", reason: plan.reason, charge_id: null, status: plan.previous_status, next_charge_at: null })
    }
    if (plan.action === "skip_period") {
      // Nothing to record here: advance-period moves past the skipped period.
      return settle({ outcome: "period_skipped", charge_id: null, status: plan.previous_status, next_charge_at: null })
    }
    if (plan.action === "fulfil") {
      return settle({ outcome: "renewed", charge_id: plan.charge_id, status: plan.previous_status, next_charge_at: null })
    }
    const previous = await snapshot(service, plan.subscription_id)
    if (plan.action === "end") {
      await service.updateSubscriptions({ id: plan.subscription_id, status: plan.status, ended_at: new Date(plan.ended_at), next_charge_at: null })
      return settle({ outcome: plan.status, reason: plan.status === "canceled" ? "period_end" : "term_over", charge_id: null, status: plan.status, next_charge_at: null }, previous)
    }
    if (!charge || !outcome) {
      return settle({ outcome: "unknown", reason: "no charge was made", charge_id: null, status: plan.previous_status, next_charge_at: null })
    }

    if (outcome.status === "succeeded") {
      await service.updateSubscriptionCharges({
        id: charge.id,
        status: "succeeded",
        payment_id: outcome.payment_id,
        transaction_id: outcome.transaction_id,
        error_code: null,
        error_message: null,
      })
      return settle({ outcome: "renewed", charge_id: charge.id, status: plan.previous_status, next_charge_at: null })
    }
    if (outcome.status === "unknown") {
      await service.updateSubscriptionCharges({ id: charge.id, status: "unknown", error_message: outcome.message.slice(0, 2000) })
      return settle({ outcome: "unknown", reason: outcome.message, charge_id: charge.id, status: plan.previous_status, next_charge_at: null })
    }

    const { decline } = outcome
    const retryAfter = decline.retry_after ? new Date(decline.retry_after) : null
    await service.updateSubscriptionCharges({
      id: charge.id,
      status: "failed",
      transaction_id: outcome.transaction_id,
      error_code: decline.code ?? null,
      error_message: decline.message?.slice(0, 2000) ?? null,
      error_types: decline.types as unknown as Record<string, unknown>,
      retry_codes: decline.retry_codes as unknown as Record<string, unknown>,
      retry_after: retryAfter && !Number.isNaN(retryAfter.getTime()) ? retryAfter : null,
    })
    const failures = await service.listSubscriptionCharges(
      { subscription_id: plan.subscription_id, kind: "renewal", period_start: new Date(plan.period_start), status: "failed" },
      { order: { attempt: "ASC" } }
    )
    const decision = decideRetry(
      failures.map((failure) => ({
        retry_codes: (failure.retry_codes ?? []) as unknown as string[],
        retry_after: failure.retry_after ? new Date(failure.retry_after).toISOString() : null,
      })),
      now,
      plan.policy.dunning
    )
    const base = { outcome: "failed" as const, charge_id: charge.id, decline, attempt: plan.attempt }
    if (decision.action === "retry") {
      await service.updateSubscriptionCharges({ id: charge.id, next_retry_at: decision.at })
      await service.updateSubscriptions({ id: plan.subscription_id, status: "past_due", next_charge_at: decision.at })
      return settle(
        {
          ...base,
          reason: decision.reason,
          status: "past_due",
          next_charge_at: decision.at.toISOString(),
          ...(plan.previous_status !== "past_due" ? { past_due_reason: "retrying" as const } : {}),
        },
        previous
      )
    }
    if (decision.action === "exhausted" && decision.then === "cancel") {
      await service.updateSubscriptions({ id: plan.subscription_id, status: "canceled", canceled_at: now, ended_at: now, next_charge_at: null })
      return settle({ ...base, reason: "dunning_exhausted", status: "canceled", next_charge_at: null }, previous)
    }
    await service.updateSubscriptions({ id: plan.subscription_id, status: "past_due", next_charge_at: null })
    const reason = decision.action === "stop" ? ("do_not_retry" as const) : ("dunning_exhausted" as const)
    return settle({ ...base, reason, status: "past_due", next_charge_at: null, past_due_reason: reason }, previous)
  },
  async (previous, { container }) => {
    if (previous) {
      await subscriptionModule(container).updateSubscriptions(previous as any)
    }
  }
)

async function snapshot(service: ReturnType<typeof subscriptionModule>, id: string) {
  const [record] = await service.listSubscriptions({ id }, { select: ["id", ...SUBSCRIPTION_FIELDS] })
  return Object.fromEntries(["id", ...SUBSCRIPTION_FIELDS].map((field) => [field, (record as any)[field]]))
}

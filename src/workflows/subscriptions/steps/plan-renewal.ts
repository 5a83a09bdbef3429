import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SubscriptionLine } from "../../../modules/subscription"
import { periodAmount } from "../../../modules/subscription/lines"
import type { RenewalPolicy } from "../../../modules/subscription/options"
import { isSkipped, nextPeriodEnd, renewalReference } from "../../../modules/subscription/periods"
import { assertNotBlocked, findAccountHolder, listSavedCards, subscriptionModule, toState, type AccountHolder } from "../helpers"
import type { SubscriptionLock } from "./lock-subscription"
import type { OpenChargeInput } from "./open-charge"

export type RenewalInput = {
  subscription_id: string
  /** ISO time the run works at (tests pass their own clock); defaults to the real time. */
  now?: string
  /** Charge the next period now even if it is not due yet (admin "charge now"). */
  force?: boolean
  policy?: Partial<RenewalPolicy>
  /**
   * Settle the held charge with this merchant_reference, now that Dintero decided it (its callback): the
   * period is renewed or declined exactly as the job would, but only while that period's attempt is still
   * undecided, and nothing new is charged. Anything else (the period already settled) is skipped.
   */
  settle_reference?: string
  /** Seconds to wait for the subscription's lock; when set, not getting it fails the run with CONFLICT. */
  lock_wait_seconds?: number
}

/** A renewal attempt to open (open-charge.ts), plus who pays it. */
export type ChargePlan = Omit<OpenChargeInput, "kind" | "metadata"> & {
  customer_id: string
  account_holder: AccountHolder | null
}

/**
 * The subscription's period fields as planned, read under the lock: what advance-period changes (and puts back
 * when compensated), so the renewal does not read the subscription a second time.
 */
export type PeriodSnapshot = {
  id: string
  status: string
  current_period_start: string
  current_period_end: string
  next_charge_at: string | null
  items: unknown
  pending_items: unknown
  pending_items_from: string | null
}

export type RenewalPlan = {
  subscription_id: string
  now: string
  policy: RenewalPolicy
  previous_status: string | null
  period_snapshot?: PeriodSnapshot
} & (
  | { action: "skip"; reason: "locked" | "not_found" | "not_due" | "inactive" | "settled" }
  | { action: "end"; status: "canceled" | "expired"; ended_at: string }
  | ({ action: "charge"; settle_only: boolean } & ChargePlan)
  /** A period skipped on request: passed over without a charge or an order. */
  | { action: "skip_period"; period_start: string; period_end: string }
  | { action: "fulfil"; period_start: string; period_end: string; charge_id: string }
)

/**
 * Decides, under the lock and from fresh data, what this run does for the subscription's next period:
 * nothing (not due, paused, locked), end it (cancel at period end, fixed term over), charge it (a first
 * attempt, a dunning retry, or an attempt whose outcome is unknown), or finish a renewal whose charge
 * succeeded but whose order was not created yet. The period charged always starts at current_period_end.
 */
export const planRenewalStep = createStep(
  "plan-subscription-renewal",
  async (input: { renewal: RenewalInput; lock: SubscriptionLock }, { container }) => {
    const service = subscriptionModule(container)
    const options = service.getOptions()
    const policy: RenewalPolicy = {
      providerId: input.renewal.policy?.providerId ?? options.providerId,
      maxPeriodsPerRun: input.renewal.policy?.maxPeriodsPerRun ?? options.maxPeriodsPerRun,
      dunning: { ...options.dunning, ...input.renewal.policy?.dunning },
    }
    const now = input.renewal.now ? new Date(input.renewal.now) : new Date()
    const base = { subscription_id: input.renewal.subscription_id, now: now.toISOString(), policy, previous_status: null }
    if (!input.lock.acquired) {
      return new StepResponse<RenewalPlan>({ ...base, action: "skip", reason: "locked" })
    }
    const [record] = await service.listSubscriptions({ id: input.renewal.subscription_id })
    if (!record) {
      return new StepResponse<RenewalPlan>({ ...base, action: "skip", reason: "not_found" })
    }
    const subscription = toState(record)
    const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null)
    const known = {
      ...base,
      previous_status: subscription.status,
      period_snapshot: {
        id: record.id,
        status: record.status,
        current_period_start: iso(record.current_period_start)!,
        current_period_end: iso(record.current_period_end)!,
        next_charge_at: iso(record.next_charge_at),
        items: record.items,
        pending_items: record.pending_items ?? null,
        pending_items_from: iso(record.pending_items_from),
      },
    }
    if (subscription.status !== "active" && subscription.status !== "past_due" && subscription.status !== "trialing") {
      return new StepResponse<RenewalPlan>({ ...known, action: "skip", reason: "inactive" })
    }
    const settling = input.renewal.settle_reference
    const due = subscription.next_charge_at !== null && subscription.next_charge_at.getTime() <= now.getTime()
    if (settling && settling !== renewalReference(subscription.id, subscription.current_period_end)) {
      // The held charge is not for the period due next: that period was settled (renewed, or the
      // subscription moved on) before this callback arrived.
      return new StepResponse<RenewalPlan>({ ...known, action: "skip", reason: "settled" })
    }
    if (!due && !input.renewal.force && !settling) {
      return new StepResponse<RenewalPlan>({ ...known, action: "skip", reason: "not_due" })
    }

    const periodStart = subscription.current_period_end
    if (subscription.cancel_at_period_end) {
      return new StepResponse<RenewalPlan>({ ...known, action: "end", status: "canceled", ended_at: periodStart.toISOString() })
    }
    if (record.expires_at && periodStart.getTime() >= new Date(record.expires_at).getTime()) {
      return new StepResponse<RenewalPlan>({ ...known, action: "end", status: "expired", ended_at: periodStart.toISOString() })
    }
    const periodEnd = nextPeriodEnd(periodStart, subscription)
    const [latest] = await service.listSubscriptionCharges(
      { subscription_id: subscription.id, kind: "renewal", period_start: periodStart },
      { order: { attempt: "DESC" }, take: 1 }
    )
    if (!latest && isSkipped(subscription.skipped_periods, periodStart)) {
      // Decided here, under the lock and from fresh data: a skip recorded before this run took the lock is
      // never charged; one asked for after it waits for the lock and then finds this period renewed.
      return new StepResponse<RenewalPlan>({
        ...known,
        action: "skip_period",
        period_start: periodStart.toISOString(),
        period_end: periodEnd.toISOString(),
      })
    }
    if (latest?.status === "succeeded") {
      return new StepResponse<RenewalPlan>({
        ...known,
        action: "fulfil",
        period_start: periodStart.toISOString(),
        period_end: periodEnd.toISOString(),
        charge_id: latest.id,
      })
    }
    const retryCodes = (latest?.retry_codes ?? []) as string[]
    if (input.renewal.force && latest?.status === "failed" && retryCodes.includes("DO_NOT_RETRY") && latest.card_id === subscription.card_id) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Dintero declined this card with DO_NOT_RETRY for the period starting ${periodStart.toISOString()}: retrying can get the card blocked. Replace the card first.`
      )
    }
    const unknownOutcome = latest?.status === "pending" || latest?.status === "unknown"
    if (settling && !unknownOutcome) {
      // Already decided by the job or an earlier delivery of the callback (a success was fulfilled above).
      return new StepResponse<RenewalPlan>({ ...known, action: "skip", reason: "settled" })
    }
    const accountHolder = await findAccountHolder(container, record.customer_id, policy.providerId)
    if (input.renewal.force && !unknownOutcome) {
      // Charge-now answers why at once; the job's attempt is refused by the provider and recorded as a decline.
      assertNotBlocked((await listSavedCards(container, accountHolder)).find((card) => card.id === subscription.card_id))
    }
    // Every attempt of a period charges what the first attempt charged; a plan change applies from the next period.
    // The customer's item change bills from the period it was asked for (pending_items_from) on.
    const items = (latest?.items ?? itemsForPeriod(record, periodStart)) as unknown as SubscriptionLine[]
    return new StepResponse<RenewalPlan>({
      ...known,
      action: "charge",
      settle_only: Boolean(settling),
      customer_id: record.customer_id,
      period_start: periodStart.toISOString(),
      period_end: periodEnd.toISOString(),
      merchant_reference: renewalReference(subscription.id, periodStart),
      attempt: unknownOutcome ? latest.attempt : (latest?.attempt ?? 0) + 1,
      amount: latest?.amount ?? periodAmount(items),
      currency_code: record.currency_code,
      items,
      // The card may have been replaced since the last attempt: that is the point of replacing it.
      card_id: unknownOutcome ? latest.card_id : subscription.card_id,
      payment_collection_id: latest?.payment_collection_id ?? null,
      reuse_charge_id: unknownOutcome ? latest.id : null,
      account_holder: accountHolder,
    })
  }
)

/** The lines a period bills: the pending ones from the period they apply from, the current ones before. */
export function itemsForPeriod(record: Record<string, any>, periodStart: Date): SubscriptionLine[] {
  const from = record.pending_items_from ? new Date(record.pending_items_from).getTime() : NaN
  if (Array.isArray(record.pending_items) && record.pending_items.length && from <= periodStart.getTime()) {
    return record.pending_items as SubscriptionLine[]
  }
  return record.items as SubscriptionLine[]
}

import { MedusaError } from "@medusajs/framework/utils"
import { firstBoundaryAtOrAfter, isSkipped, periodKey, skipsInYearUpTo, type BillingSchedule } from "./periods"

/**
 * The customer- and admin-driven state changes, as pure functions from the subscription and the time to
 * the fields to update (or a NOT_ALLOWED error). The renewal job's own transitions (renewed, past_due,
 * canceled after dunning, ended at period end) are in the renewal workflow.
 */
export type SubscriptionState = BillingSchedule & {
  id: string
  status: "trialing" | "active" | "past_due" | "paused" | "canceled" | "expired"
  current_period_start: Date
  current_period_end: Date
  next_charge_at: Date | null
  cancel_at_period_end: boolean
  card_id: string
  /** ISO starts of the periods skipped on request. */
  skipped_periods: string[]
}

export type SubscriptionUpdate = Partial<{
  status: SubscriptionState["status"]
  current_period_start: Date
  current_period_end: Date
  next_charge_at: Date | null
  cancel_at_period_end: boolean
  paused_at: Date | null
  canceled_at: Date | null
  ended_at: Date | null
  card_id: string
  skipped_periods: string[]
}>

function refuse(subscription: SubscriptionState, action: string, allowed: string): never {
  throw new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    `Subscription ${subscription.id} is ${subscription.status}: only ${allowed} subscriptions can be ${action}.`
  )
}

/** Nothing is charged while paused. */
export function pause(subscription: SubscriptionState, now: Date): SubscriptionUpdate {
  if (subscription.status !== "active") {
    refuse(subscription, "paused", "active")
  }
  return { status: "paused", paused_at: now, next_charge_at: null }
}

/**
 * Resuming inside the paid period changes nothing else: the next charge is at its end. Resuming after it
 * keeps the anchor day and skips the periods that passed while paused: nothing is charged for them, the
 * customer is served from now on, and the next charge is the next anchored renewal date.
 * Resuming an active subscription that was set to cancel at period end takes the cancellation back.
 */
export function resume(subscription: SubscriptionState, now: Date): SubscriptionUpdate {
  if ((subscription.status === "active" || subscription.status === "trialing") && subscription.cancel_at_period_end) {
    return { cancel_at_period_end: false, canceled_at: null }
  }
  if (subscription.status !== "paused") {
    refuse(subscription, "resumed", "paused")
  }
  const end = subscription.current_period_end
  if (end.getTime() > now.getTime()) {
    return { status: "active", paused_at: null, next_charge_at: end }
  }
  const { next } = firstBoundaryAtOrAfter(end, now, subscription)
  return { status: "active", paused_at: null, current_period_start: now, current_period_end: next, next_charge_at: next }
}

/** Now, or at the end of the paid period (the renewal job then ends it instead of charging). */
export function cancel(subscription: SubscriptionState, now: Date, atPeriodEnd: boolean): SubscriptionUpdate {
  if (subscription.status === "canceled" || subscription.status === "expired") {
    refuse(subscription, "canceled", "trialing, active, past_due or paused")
  }
  // A trial canceled at period end ends at the trial's end, before its first charge.
  if (atPeriodEnd && (subscription.status === "active" || subscription.status === "trialing")) {
    return { cancel_at_period_end: true, canceled_at: now }
  }
  return { status: "canceled", canceled_at: now, ended_at: now, next_charge_at: null, cancel_at_period_end: false }
}

/**
 * Points the subscription at another saved card. A past_due subscription is retried with it at the next
 * run: a new card is exactly what a DO_NOT_RETRY decline or a used-up dunning schedule was waiting for.
 */
export function changeCard(subscription: SubscriptionState, now: Date, cardId: string): SubscriptionUpdate {
  if (subscription.status === "canceled" || subscription.status === "expired") {
    refuse(subscription, "given a new card", "trialing, active, past_due or paused")
  }
  return {
    card_id: cardId,
    ...(subscription.status === "past_due" ? { next_charge_at: now } : {}),
  }
}

/** Kept per subscription: enough for any rolling-year limit of a daily plan, bounded in size. */
const SKIP_HISTORY = 400

/**
 * Skips the next period (the one starting at `current_period_end`): the renewal job passes over it without
 * charging and the anchor day is kept. Only an active subscription that will renew can skip: a past_due one
 * owes a period, a paused one is charged nothing anyway, a trial's first charge is the trial's end, and one
 * set to cancel at period end does not renew. At most `maxPerYear` skipped periods in any 12 months up to the
 * skipped one. Skipping a period already skipped changes nothing (a repeated request).
 */
export function skipNextPeriod(subscription: SubscriptionState, maxPerYear: number): SubscriptionUpdate {
  if (subscription.status !== "active") {
    refuse(subscription, "skipped", "active")
  }
  if (subscription.cancel_at_period_end) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Subscription ${subscription.id} ends at the end of this period: there is no next period to skip.`)
  }
  const next = subscription.current_period_end
  if (isSkipped(subscription.skipped_periods, next)) {
    return {}
  }
  if (maxPerYear <= 0) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "This store does not allow skipping periods.")
  }
  const skipped = [...subscription.skipped_periods, periodKey(next)]
  if (skipsInYearUpTo(skipped, next) > maxPerYear) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `At most ${maxPerYear} period${maxPerYear === 1 ? "" : "s"} can be skipped in 12 months; ` +
        `the period starting ${next.toISOString().slice(0, 10)} would be one more.`
    )
  }
  return { skipped_periods: skipped.slice(-SKIP_HISTORY) }
}

/** Takes back the skip of the next period (it is charged as usual); nothing to take back changes nothing. */
export function unskipNextPeriod(subscription: SubscriptionState): SubscriptionUpdate {
  if (subscription.status !== "active") {
    refuse(subscription, "unskipped", "active")
  }
  const next = subscription.current_period_end
  if (!isSkipped(subscription.skipped_periods, next)) {
    return {}
  }
  return { skipped_periods: subscription.skipped_periods.filter((skipped) => Date.parse(skipped) !== next.getTime()) }
}

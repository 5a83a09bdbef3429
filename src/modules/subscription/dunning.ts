/**
 * What to do after a declined renewal, following Dintero's retry policy first (spec: "Merchant is
 * responsible for managing their retry policy… not retry when payment fails with DO_NOT_RETRY";
 * retrying against that advice gets cards blocked) and the merchant's dunning schedule otherwise.
 *
 * - DO_NOT_RETRY: never again with this card. The subscription goes past_due until the card is replaced.
 * - RETRY_IMMEDIATELY: one immediate retry per period (in the same run); later failures follow the schedule.
 * - RETRY_AFTER_DELAY with `retry_after`: the next attempt is at that time, not earlier.
 * - anything else (or no retry_after): the schedule's delay (default 1, 3, 7 days after each failure).
 * When the schedule is used up the subscription is canceled or stays past_due, per `onExhausted`.
 */
export type RetryCode = "DO_NOT_RETRY" | "RETRY_IMMEDIATELY" | "RETRY_AFTER_DELAY"

export type DunningPolicy = {
  retryDelaysDays: number[]
  onExhausted: "cancel" | "past_due"
}

export type Decline = { retry_codes: string[]; retry_after?: string | null }

export type RetryDecision =
  | { action: "retry"; at: Date; reason: "immediate" | "retry_after" | "schedule" }
  | { action: "stop"; reason: "do_not_retry" }
  | { action: "exhausted"; then: "cancel" | "past_due" }

const DAY_MS = 24 * 60 * 60 * 1000

/** @param failures the failed attempts of one period, oldest first, the one just seen last. */
export function decideRetry(failures: Decline[], now: Date, policy: DunningPolicy): RetryDecision {
  const latest = failures[failures.length - 1]
  if (!latest) {
    throw new Error("decideRetry needs at least one failed attempt")
  }
  if (latest.retry_codes.includes("DO_NOT_RETRY")) {
    return { action: "stop", reason: "do_not_retry" }
  }
  const earlier = failures.slice(0, -1)
  const immediateUsed = earlier.some((failure) => failure.retry_codes.includes("RETRY_IMMEDIATELY"))
  if (latest.retry_codes.includes("RETRY_IMMEDIATELY") && !immediateUsed) {
    return { action: "retry", at: now, reason: "immediate" }
  }
  // The immediate retry is a second chance at the same moment, not a step of the schedule.
  const scheduled = failures.length - (immediateUsed ? 1 : 0)
  if (scheduled > policy.retryDelaysDays.length) {
    return { action: "exhausted", then: policy.onExhausted }
  }
  const retryAfter = latest.retry_after ? Date.parse(latest.retry_after) : NaN
  if (latest.retry_codes.includes("RETRY_AFTER_DELAY") && retryAfter > now.getTime()) {
    return { action: "retry", at: new Date(retryAfter), reason: "retry_after" }
  }
  return { action: "retry", at: new Date(now.getTime() + policy.retryDelaysDays[scheduled - 1] * DAY_MS), reason: "schedule" }
}

/**
 * Billing periods. All arithmetic is in UTC and keeps the time of day of the period start.
 *
 * Months and years are counted from the subscription's anchor day, not from the previous period end:
 * a subscription started on the 31st renews on the last day of shorter months (30 Apr, 28/29 Feb) and on
 * the 31st again afterwards. Counting from the previous end instead would drift it to the 28th for good.
 */
export type IntervalUnit = "day" | "week" | "month" | "year"

export type BillingSchedule = {
  interval: IntervalUnit
  interval_count: number
  /** Day of month (1–31) of the first period start; used by month and year intervals. */
  anchor_day: number
}

const DAY_MS = 24 * 60 * 60 * 1000

export function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate()
}

/** The end of the period that starts at `start` (the start of the next one). */
export function nextPeriodEnd(start: Date, schedule: BillingSchedule): Date {
  const count = Math.max(1, Math.floor(schedule.interval_count))
  switch (schedule.interval) {
    case "day":
      return new Date(start.getTime() + count * DAY_MS)
    case "week":
      return new Date(start.getTime() + count * 7 * DAY_MS)
    case "month":
      return addMonthsAnchored(start, count, schedule.anchor_day)
    case "year":
      return addMonthsAnchored(start, 12 * count, schedule.anchor_day)
  }
}

function addMonthsAnchored(start: Date, months: number, anchorDay: number): Date {
  const monthIndex = start.getUTCMonth() + months
  const year = start.getUTCFullYear() + Math.floor(monthIndex / 12)
  const month = ((monthIndex % 12) + 12) % 12
  const day = Math.min(Math.max(1, anchorDay), daysInMonth(year, month))
  return new Date(
    Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds())
  )
}

/** The schedule of a subscription whose first period starts at `start`. */
export function scheduleStartingAt(start: Date, interval: IntervalUnit, intervalCount: number): BillingSchedule {
  return { interval, interval_count: intervalCount, anchor_day: start.getUTCDate() }
}

/**
 * The first period boundary at or after `now`, walking the schedule from `boundary` (itself a boundary):
 * used when a paused subscription resumes after its paid period ended, so the skipped periods are not
 * charged and the anchor day is kept. Returns that boundary and the one before it.
 */
export function firstBoundaryAtOrAfter(boundary: Date, now: Date, schedule: BillingSchedule): { previous: Date; next: Date } {
  let previous = boundary
  let next = boundary
  while (next.getTime() < now.getTime()) {
    previous = next
    next = nextPeriodEnd(next, schedule)
  }
  return { previous, next }
}

/**
 * Dintero's merchant_reference for the renewal of one period. The same period always gets the same
 * reference, across retries and crashes: that is what lets the provider find a charge Dintero already
 * made, and Dintero's `strict-success-merchant-reference` refuse a second one.
 */
export function renewalReference(subscriptionId: string, periodStart: Date): string {
  return `${subscriptionId}:${periodStart.toISOString().slice(0, 10)}`
}

export function prorationReference(subscriptionId: string, chargeId: string): string {
  return `${subscriptionId}:proration:${chargeId}`
}

/** How far back an admin may start a subscription: its missed periods are all charged (catch-up). */
export const MAX_BACKDATE_DAYS = 366

/**
 * The periods a subscription starting at `start` already owes at `now` (period starts at or before now),
 * counted up to `limit + 1`: enough to tell whether the first renewal run's catch-up would be bounded.
 */
export function periodsOwedAt(start: Date, now: Date, schedule: BillingSchedule, limit: number): number {
  let owed = 0
  for (let periodStart = start; periodStart.getTime() <= now.getTime() && owed <= limit; periodStart = nextPeriodEnd(periodStart, schedule)) {
    owed++
  }
  return owed
}

/** Longest trial a plan may offer. */
export const MAX_TRIAL_DAYS = 730

/**
 * The end of a trial that starts at `start`: whole days of 24 h, keeping the time of day. The first paid
 * period starts there, so the plan's anchor day is the trial end's day of month (scheduleStartingAt).
 */
export function trialEnd(start: Date, trialDays: number): Date {
  return new Date(start.getTime() + Math.floor(trialDays) * DAY_MS)
}

/** The key a skipped period is stored under: its start, as an ISO time. */
export function periodKey(periodStart: Date): string {
  return periodStart.toISOString()
}

/** Whether the period starting at `periodStart` was skipped on request. */
export function isSkipped(skippedPeriods: readonly string[] | null | undefined, periodStart: Date): boolean {
  return (skippedPeriods ?? []).some((skipped) => Date.parse(skipped) === periodStart.getTime())
}

/**
 * Skipped periods starting in the 12 months up to `periodStart` (that one included when skipped): what
 * `maxSkipsPerYear` limits. A rolling year, so skipping December and January counts as two in a row.
 */
export function skipsInYearUpTo(skippedPeriods: readonly string[] | null | undefined, periodStart: Date): number {
  const yearBefore = addMonthsAnchored(periodStart, -12, periodStart.getUTCDate())
  return (skippedPeriods ?? []).filter((skipped) => {
    const at = Date.parse(skipped)
    return at > yearBefore.getTime() && at <= periodStart.getTime()
  }).length
}

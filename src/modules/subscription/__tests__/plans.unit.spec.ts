import { skipNextPeriod, unskipNextPeriod, type SubscriptionState } from "../lifecycle"
import { isSkipped, nextPeriodEnd, scheduleStartingAt, skipsInYearUpTo, trialEnd } from "../periods"

/** Walks a subscription's renewals as the job does: each due period is either charged or, when skipped, passed over. */
function walk(state: SubscriptionState, periods: number) {
  const seen: Array<{ start: string; skipped: boolean }> = []
  let start = state.current_period_end
  for (let i = 0; i < periods; i++) {
    seen.push({ start: start.toISOString(), skipped: isSkipped(state.skipped_periods, start) })
    start = nextPeriodEnd(start, state)
  }
  return seen
}

const monthly = (start: string, overrides: Partial<SubscriptionState> = {}): SubscriptionState => {
  const schedule = scheduleStartingAt(new Date(start), "month", 1)
  return {
    id: "sub_1",
    status: "active",
    ...schedule,
    current_period_start: new Date(start),
    current_period_end: nextPeriodEnd(new Date(start), schedule),
    next_charge_at: nextPeriodEnd(new Date(start), schedule),
    cancel_at_period_end: false,
    card_id: "dcard_a",
    skipped_periods: [],
    ...overrides,
  }
}

describe("trials", () => {
  it("a 14-day trial started on 17 January ends on the 31st, and the paid periods keep the 31st as anchor day", () => {
    const start = new Date("2027-01-17T09:00:00.000Z")
    const end = trialEnd(start, 14)
    expect(end.toISOString()).toBe("2027-01-31T09:00:00.000Z")
    const schedule = scheduleStartingAt(end, "month", 1)
    expect(schedule.anchor_day).toBe(31)
    const first = nextPeriodEnd(end, schedule)
    const second = nextPeriodEnd(first, schedule)
    expect([first.toISOString(), second.toISOString()]).toEqual(["2027-02-28T09:00:00.000Z", "2027-03-31T09:00:00.000Z"])
  })
})

describe("skipping a period", () => {
  it("skips the period starting at the current period's end and keeps the anchor day of every later period", () => {
    const subscription = monthly("2027-01-31T00:00:00.000Z")
    const update = skipNextPeriod(subscription, 2)
    expect(update).toEqual({ skipped_periods: ["2027-02-28T00:00:00.000Z"] })
    const after = { ...subscription, ...update }
    expect(walk(after, 4)).toEqual([
      { start: "2027-02-28T00:00:00.000Z", skipped: true },
      { start: "2027-03-31T00:00:00.000Z", skipped: false },
      { start: "2027-04-30T00:00:00.000Z", skipped: false },
      { start: "2027-05-31T00:00:00.000Z", skipped: false },
    ])
    // Exactly the dates a subscription without the skip renews on.
    expect(walk(after, 4).map((period) => period.start)).toEqual(walk(subscription, 4).map((period) => period.start))
  })

  it("skipping the same period twice changes nothing; unskipping takes it back", () => {
    const subscription = monthly("2027-01-31T00:00:00.000Z", { skipped_periods: ["2027-02-28T00:00:00.000Z"] })
    expect(skipNextPeriod(subscription, 1)).toEqual({})
    expect(unskipNextPeriod(subscription)).toEqual({ skipped_periods: [] })
    expect(unskipNextPeriod({ ...subscription, skipped_periods: [] })).toEqual({})
  })

  it("counts skips in a rolling year up to the skipped period", () => {
    const skipped = ["2026-03-31T00:00:00.000Z", "2026-12-31T00:00:00.000Z", "2027-01-31T00:00:00.000Z"]
    expect(skipsInYearUpTo(skipped, new Date("2027-02-28T00:00:00.000Z"))).toBe(3)
    expect(skipsInYearUpTo(skipped, new Date("2027-03-31T00:00:00.000Z"))).toBe(2)
    // Next March's period: the skip of March 2026 is out of the 12 months, two remain.
    const subscription = monthly("2027-02-28T00:00:00.000Z", { anchor_day: 31, current_period_end: new Date("2027-03-31T00:00:00.000Z"), skipped_periods: skipped })
    expect(skipNextPeriod(subscription, 3)).toEqual({ skipped_periods: [...skipped, "2027-03-31T00:00:00.000Z"] })
    expect(() => skipNextPeriod(subscription, 2)).toThrow(/At most 2 periods can be skipped in 12 months/)
  })

  it("is refused for a subscription that is not active, that ends at period end, or when the store allows no skips", () => {
    for (const status of ["past_due", "canceled", "paused", "trialing", "expired"] as const) {
      expect(() => skipNextPeriod(monthly("2027-01-31T00:00:00.000Z", { status }), 2)).toThrow(new RegExp(`is ${status}: only active`))
    }
    expect(() => skipNextPeriod(monthly("2027-01-31T00:00:00.000Z", { cancel_at_period_end: true }), 2)).toThrow(/no next period to skip/)
    expect(() => skipNextPeriod(monthly("2027-01-31T00:00:00.000Z"), 0)).toThrow(/does not allow skipping/)
  })
})

import { cancel, changeCard, pause, resume, type SubscriptionState } from "../lifecycle"

const base: SubscriptionState = {
  id: "sub_1",
  status: "active",
  interval: "month",
  interval_count: 1,
  anchor_day: 31,
  current_period_start: new Date("2027-01-31T00:00:00.000Z"),
  current_period_end: new Date("2027-02-28T00:00:00.000Z"),
  next_charge_at: new Date("2027-02-28T00:00:00.000Z"),
  cancel_at_period_end: false,
  card_id: "dcard_a",
  skipped_periods: [],
}
const now = new Date("2027-02-10T00:00:00.000Z")

describe("subscription lifecycle", () => {
  it("pausing stops charges; resuming within the paid period charges at its end", () => {
    expect(pause(base, now)).toEqual({ status: "paused", paused_at: now, next_charge_at: null })
    const paused = { ...base, status: "paused" as const, next_charge_at: null }
    expect(resume(paused, new Date("2027-02-20T00:00:00.000Z"))).toEqual({
      status: "active",
      paused_at: null,
      next_charge_at: base.current_period_end,
    })
  })

  it("resuming after the paid period skips the paused periods and keeps the anchor day", () => {
    const paused = { ...base, status: "paused" as const, next_charge_at: null }
    const later = new Date("2027-04-15T00:00:00.000Z")
    expect(resume(paused, later)).toEqual({
      status: "active",
      paused_at: null,
      current_period_start: later,
      current_period_end: new Date("2027-04-30T00:00:00.000Z"),
      next_charge_at: new Date("2027-04-30T00:00:00.000Z"),
    })
  })

  it("cancel at period end keeps the subscription active until then; resume takes it back", () => {
    expect(cancel(base, now, true)).toEqual({ cancel_at_period_end: true, canceled_at: now })
    expect(resume({ ...base, cancel_at_period_end: true }, now)).toEqual({ cancel_at_period_end: false, canceled_at: null })
    expect(cancel(base, now, false)).toMatchObject({ status: "canceled", ended_at: now, next_charge_at: null })
  })

  it("refuses transitions that make no sense", () => {
    expect(() => pause({ ...base, status: "canceled" }, now)).toThrow(/only active/)
    expect(() => resume(base, now)).toThrow(/only paused/)
    expect(() => cancel({ ...base, status: "expired" }, now, false)).toThrow(/canceled/)
  })

  it("a new card retries a past_due subscription at the next run", () => {
    expect(changeCard(base, now, "dcard_b")).toEqual({ card_id: "dcard_b" })
    expect(changeCard({ ...base, status: "past_due", next_charge_at: null }, now, "dcard_b")).toEqual({ card_id: "dcard_b", next_charge_at: now })
  })
})

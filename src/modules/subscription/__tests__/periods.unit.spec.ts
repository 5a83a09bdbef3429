import { firstBoundaryAtOrAfter, nextPeriodEnd, periodsOwedAt, renewalReference, scheduleStartingAt, type BillingSchedule } from "../periods"

const iso = (date: Date) => date.toISOString()

/** The first `count` period ends of a schedule, each period starting where the previous one ended. */
function periodEnds(start: string, schedule: BillingSchedule, count: number): string[] {
  const ends: string[] = []
  let cursor = new Date(start)
  for (let i = 0; i < count; i++) {
    cursor = nextPeriodEnd(cursor, schedule)
    ends.push(iso(cursor))
  }
  return ends
}

describe("billing periods", () => {
  it("a monthly subscription started on the 31st renews on the last day of shorter months and on the 31st again after", () => {
    const start = "2027-01-31T09:30:00.000Z"
    expect(periodEnds(start, scheduleStartingAt(new Date(start), "month", 1), 4)).toEqual([
      "2027-02-28T09:30:00.000Z",
      "2027-03-31T09:30:00.000Z",
      "2027-04-30T09:30:00.000Z",
      "2027-05-31T09:30:00.000Z",
    ])
  })

  it("in a leap year February ends on the 29th", () => {
    const start = "2028-01-31T00:00:00.000Z"
    expect(periodEnds(start, scheduleStartingAt(new Date(start), "month", 1), 2)).toEqual([
      "2028-02-29T00:00:00.000Z",
      "2028-03-31T00:00:00.000Z",
    ])
  })

  it("a subscription started on the 30th renews on 28/29 February and on the 30th after", () => {
    const start = "2027-01-30T12:00:00.000Z"
    expect(periodEnds(start, scheduleStartingAt(new Date(start), "month", 1), 2)).toEqual([
      "2027-02-28T12:00:00.000Z",
      "2027-03-30T12:00:00.000Z",
    ])
  })

  it("every two months from 31 December crosses the year and keeps the anchor", () => {
    const start = "2026-12-31T08:00:00.000Z"
    expect(periodEnds(start, scheduleStartingAt(new Date(start), "month", 2), 3)).toEqual([
      "2027-02-28T08:00:00.000Z",
      "2027-04-30T08:00:00.000Z",
      "2027-06-30T08:00:00.000Z",
    ])
  })

  it("a yearly subscription started on 29 February renews on 28 February and on the 29th in leap years", () => {
    const start = "2028-02-29T10:00:00.000Z"
    expect(periodEnds(start, scheduleStartingAt(new Date(start), "year", 1), 4)).toEqual([
      "2029-02-28T10:00:00.000Z",
      "2030-02-28T10:00:00.000Z",
      "2031-02-28T10:00:00.000Z",
      "2032-02-29T10:00:00.000Z",
    ])
  })

  it("days and weeks are exact lengths in UTC", () => {
    const start = "2027-03-27T23:00:00.000Z"
    expect(periodEnds(start, scheduleStartingAt(new Date(start), "day", 1), 2)).toEqual([
      "2027-03-28T23:00:00.000Z",
      "2027-03-29T23:00:00.000Z",
    ])
    expect(periodEnds(start, scheduleStartingAt(new Date(start), "week", 2), 1)).toEqual(["2027-04-10T23:00:00.000Z"])
  })

  it("a resumed subscription picks up at its next anchored date, skipping the paused periods", () => {
    const schedule = scheduleStartingAt(new Date("2027-01-31T00:00:00.000Z"), "month", 1)
    const { previous, next } = firstBoundaryAtOrAfter(new Date("2027-02-28T00:00:00.000Z"), new Date("2027-04-15T00:00:00.000Z"), schedule)
    expect(iso(previous)).toBe("2027-03-31T00:00:00.000Z")
    expect(iso(next)).toBe("2027-04-30T00:00:00.000Z")
  })

  it("each period has its own merchant reference, the same on every attempt", () => {
    expect(renewalReference("sub_1", new Date("2027-02-28T09:30:00.000Z"))).toBe("sub_1:2027-02-28")
  })
})

describe("how many periods a backdated subscription owes", () => {
  it("counts each period start up to now, and stops counting past the limit", () => {
    const start = new Date("2027-01-01T00:00:00Z")
    const daily = scheduleStartingAt(start, "day", 1)
    expect(periodsOwedAt(start, new Date("2027-01-01T00:00:00Z"), daily, 12)).toBe(1)
    expect(periodsOwedAt(start, new Date("2027-01-12T23:00:00Z"), daily, 12)).toBe(12)
    expect(periodsOwedAt(start, new Date("2027-01-13T00:00:00Z"), daily, 12)).toBe(13)
    expect(periodsOwedAt(start, new Date("2028-01-01T00:00:00Z"), daily, 12)).toBe(13)
    expect(periodsOwedAt(start, new Date("2026-12-01T00:00:00Z"), daily, 12)).toBe(0)
  })
})

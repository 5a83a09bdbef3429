import { decideRetry, type DunningPolicy } from "../dunning"

const now = new Date("2027-03-01T12:00:00.000Z")
const policy: DunningPolicy = { retryDelaysDays: [1, 3, 7], onExhausted: "cancel" }
const days = (n: number) => new Date(now.getTime() + n * 86_400_000)

describe("dunning after a declined renewal", () => {
  it("never retries a card Dintero says not to retry", () => {
    expect(decideRetry([{ retry_codes: ["DO_NOT_RETRY"] }], now, policy)).toEqual({ action: "stop", reason: "do_not_retry" })
    // Not even when earlier attempts were retryable.
    expect(decideRetry([{ retry_codes: ["RETRY_AFTER_DELAY"] }, { retry_codes: ["DO_NOT_RETRY"] }], now, policy).action).toBe("stop")
  })

  it("waits until Dintero's retry_after when it asks for a delay", () => {
    const retryAfter = "2027-03-02T18:00:00.000Z"
    expect(decideRetry([{ retry_codes: ["RETRY_AFTER_DELAY"], retry_after: retryAfter }], now, policy)).toEqual({
      action: "retry",
      at: new Date(retryAfter),
      reason: "retry_after",
    })
  })

  it("falls back to the schedule when the delay has no retry_after, or one already past", () => {
    expect(decideRetry([{ retry_codes: ["RETRY_AFTER_DELAY"] }], now, policy)).toEqual({ action: "retry", at: days(1), reason: "schedule" })
    expect(decideRetry([{ retry_codes: ["RETRY_AFTER_DELAY"], retry_after: "2027-02-01T00:00:00.000Z" }], now, policy)).toMatchObject({ reason: "schedule" })
  })

  it("retries at once on RETRY_IMMEDIATELY, but only once per period", () => {
    const first = decideRetry([{ retry_codes: ["RETRY_IMMEDIATELY"] }], now, policy)
    expect(first).toEqual({ action: "retry", at: now, reason: "immediate" })
    const second = decideRetry([{ retry_codes: ["RETRY_IMMEDIATELY"] }, { retry_codes: ["RETRY_IMMEDIATELY"] }], now, policy)
    expect(second).toEqual({ action: "retry", at: days(1), reason: "schedule" })
  })

  it("follows the schedule 1, 3, 7 days, then gives up as configured", () => {
    const failure = { retry_codes: [] as string[] }
    expect(decideRetry([failure], now, policy)).toMatchObject({ at: days(1) })
    expect(decideRetry([failure, failure], now, policy)).toMatchObject({ at: days(3) })
    expect(decideRetry([failure, failure, failure], now, policy)).toMatchObject({ at: days(7) })
    expect(decideRetry([failure, failure, failure, failure], now, policy)).toEqual({ action: "exhausted", then: "cancel" })
    expect(decideRetry([failure, failure, failure, failure], now, { ...policy, onExhausted: "past_due" })).toEqual({
      action: "exhausted",
      then: "past_due",
    })
  })

  it("does not count the immediate retry as a step of the schedule", () => {
    const immediate = { retry_codes: ["RETRY_IMMEDIATELY"] }
    expect(decideRetry([immediate, immediate, immediate], now, policy)).toMatchObject({ at: days(3) })
    expect(decideRetry([immediate, immediate, immediate, immediate, immediate], now, policy)).toEqual({ action: "exhausted", then: "cancel" })
  })
})

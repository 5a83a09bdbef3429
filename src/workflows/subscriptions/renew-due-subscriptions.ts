import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { RenewalPolicy } from "../../modules/subscription/options"
import type { SubscriptionModuleService } from "../../modules/subscription"
import { subscriptionModule } from "./helpers"
import { renewSubscriptionPeriodWorkflow } from "./renew-subscription-period"

export type RenewDueSubscriptionsInput = {
  /** The time the run works at; tests pass a controlled clock. Defaults to now. */
  now?: Date | string
  batchSize?: number
  concurrency?: number
  policy?: Partial<RenewalPolicy>
}

export type RenewalRunSummary = {
  now: string
  subscriptions: number
  renewed: number
  failed: number
  unknown: number
  skipped: number
  /** Periods passed over without a charge because they were skipped on request. */
  period_skipped: number
  canceled: number
  expired: number
  errors: number
}

/**
 * One renewal run (what the scheduled job does): every trialing, active or past_due subscription whose next charge is
 * due at `now` is renewed, read page by page in id order (`batchSize` a page), `concurrency` subscriptions at a time
 * in one continuous pool (the next page is read ahead while the current one is renewed).
 *
 * Catch-up: a subscription that missed several periods (the job was down) has each missed period charged
 * once, oldest first, up to `maxPeriodsPerRun` per run; the next runs continue. A decline stops its
 * subscription for this run (dunning decides when it is tried again), except Dintero's RETRY_IMMEDIATELY,
 * which is tried once more at once.
 */
export async function renewDueSubscriptions(container: MedusaContainer, input: RenewDueSubscriptionsInput = {}): Promise<RenewalRunSummary> {
  const service = subscriptionModule(container)
  const options = service.getOptions()
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
  const now = input.now ? new Date(input.now) : new Date()
  const batchSize = input.batchSize ?? options.batchSize
  const concurrency = input.concurrency ?? options.concurrency
  const maxPeriods = input.policy?.maxPeriodsPerRun ?? options.maxPeriodsPerRun
  const summary: RenewalRunSummary = { now: now.toISOString(), subscriptions: 0, renewed: 0, failed: 0, unknown: 0, skipped: 0, period_skipped: 0, canceled: 0, expired: 0, errors: 0 }

  const renewOne = async (subscriptionId: string) => {
    for (let period = 0; period < maxPeriods; period++) {
      let result
      try {
        ;({ result } = await renewSubscriptionPeriodWorkflow(container).run({
          input: { subscription_id: subscriptionId, now: now.toISOString(), policy: input.policy },
        }))
      } catch (error) {
        // Another process (one that shares no lock with this one) is renewing this period right now.
        if (MedusaError.isMedusaError(error) && (error as MedusaError).type === MedusaError.Types.CONFLICT) {
          summary.skipped++
          return
        }
        summary.errors++
        logger.error(`Subscription ${subscriptionId}: renewal failed: ${(error as Error).message}`)
        return
      }
      summary[result.outcome]++
      const dueAgain = result.next_charge_at !== null && new Date(result.next_charge_at).getTime() <= now.getTime()
      if (!dueAgain || (result.outcome !== "renewed" && result.outcome !== "failed" && result.outcome !== "period_skipped")) {
        return
      }
    }
  }

  await runPooled(pageDueSubscriptions(service, now, batchSize, summary), concurrency, renewOne)
  if (summary.subscriptions) {
    logger.info(
      `Subscription renewals at ${summary.now}: ${summary.subscriptions} due, ${summary.renewed} renewed, ${summary.failed} declined, ` +
        `${summary.unknown} unknown, ${summary.canceled + summary.expired} ended, ${summary.errors} errors`
    )
  }
  return summary
}

/**
 * The due subscriptions' ids, page by page in id order (never all rows at once; ids do not move while the run
 * changes next_charge_at, so nothing is skipped or seen twice).
 */
async function* pageDueSubscriptions(service: SubscriptionModuleService, now: Date, batchSize: number, summary: RenewalRunSummary) {
  let after: string | undefined
  for (;;) {
    const page = await service.listSubscriptions(
      {
        status: ["trialing", "active", "past_due"],
        next_charge_at: { $lte: now },
        ...(after ? { id: { $gt: after } } : {}),
      },
      { select: ["id"], order: { id: "ASC" }, take: batchSize }
    )
    summary.subscriptions += page.length
    yield page.map((row) => row.id)
    if (page.length < batchSize) {
      return
    }
    after = page[page.length - 1].id
  }
}

/**
 * Runs `work` on every id the pages yield, `limit` at a time, with no idle slot between pages: the next page is
 * read while the slots are still busy with the last few of the current one (a slot never waits for the slowest
 * renewal of its page), and at most one page is held ahead.
 */
async function runPooled(pages: AsyncGenerator<string[]>, limit: number, work: (id: string) => Promise<void>): Promise<void> {
  const queue: string[] = []
  let exhausted = false
  let reading: Promise<void> | undefined
  let failure: unknown
  const readAhead = () => {
    if (!reading && !exhausted && queue.length <= limit) {
      reading = pages
        .next()
        .then((page) => (page.done ? (exhausted = true) : queue.push(...page.value)))
        .catch((error) => {
          failure = error
          exhausted = true
        })
        .then(() => {
          reading = undefined
        })
    }
    return reading
  }
  const slot = async () => {
    for (;;) {
      const pending = readAhead()
      const id = queue.shift()
      if (id !== undefined) {
        await work(id)
      } else if (pending) {
        await pending
      } else {
        return
      }
    }
  }
  await Promise.all(Array.from({ length: limit }, slot))
  if (failure) {
    throw failure
  }
}

import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { RenewalPolicy } from "../../modules/subscription/options"
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
 * due at `now` is renewed, read page by page in id order (never all rows at once; ids do not move while the
 * run changes next_charge_at, so nothing is skipped or seen twice), a few subscriptions at a time.
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
    if (!page.length) {
      break
    }
    summary.subscriptions += page.length
    await runWithConcurrency(page.map((row) => row.id), concurrency, renewOne)
    after = page[page.length - 1].id
    if (page.length < batchSize) {
      break
    }
  }
  if (summary.subscriptions) {
    logger.info(
      `Subscription renewals at ${summary.now}: ${summary.subscriptions} due, ${summary.renewed} renewed, ${summary.failed} declined, ` +
        `${summary.unknown} unknown, ${summary.canceled + summary.expired} ended, ${summary.errors} errors`
    )
  }
  return summary
}

async function runWithConcurrency<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

import { randomUUID } from "node:crypto"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { renewDueSubscriptions, type RenewalRunSummary, type RenewDueSubscriptionsInput } from "./renew-due-subscriptions"

export const RENEWAL_RUN_LOCK_KEY = "dintero-subscription-renewal-run"
/**
 * The run's lock lives this long unless the run renews it (every third of it, while it works): a worker that
 * dies mid-run holds up the next runs for at most this long, and a run of any length keeps its lock.
 */
const RUN_LOCK_TTL_SECONDS = 120

export type ScheduledRenewalReport = { ran: true; summary: RenewalRunSummary } | { ran: false; reason: string }

/** When this process's run started, for the log line of a tick that finds it still going. */
let runningSince: Date | undefined

/**
 * One tick of the renewal job: a renewal run, unless one is still going — in this process, or in any process
 * that shares the Locking module's provider (Redis or PostgreSQL in a store with several servers) — in which
 * case this tick is skipped and says so in the log. Overlapping runs would be safe (each subscription is
 * renewed under its own lock), but they would only contend for the same due subscriptions and for Dintero.
 */
export async function runScheduledRenewals(container: MedusaContainer, input: RenewDueSubscriptionsInput = {}): Promise<ScheduledRenewalReport> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
  const locking = container.resolve(Modules.LOCKING)
  const ownerId = randomUUID()
  const skip = (where: string) => {
    const reason = `renew-subscriptions: previous run still in progress (${where}), skipping this tick`
    logger.info(reason)
    return { ran: false as const, reason }
  }
  if (runningSince) {
    return skip(`started ${runningSince.toISOString()} in this process`)
  }
  // Set before the lock is asked for, so a tick in this process is told apart while the lock is being taken.
  runningSince = new Date()
  try {
    await locking.acquire(RENEWAL_RUN_LOCK_KEY, { ownerId, expire: RUN_LOCK_TTL_SECONDS })
  } catch {
    runningSince = undefined
    return skip("in another process")
  }
  // Acquiring a lock one already owns extends it (every provider of Medusa's Locking module).
  const keepAlive = setInterval(() => {
    locking.acquire(RENEWAL_RUN_LOCK_KEY, { ownerId, expire: RUN_LOCK_TTL_SECONDS }).catch((error: Error) => {
      logger.warn(`renew-subscriptions: could not extend the run's lock: ${error.message}`)
    })
  }, (RUN_LOCK_TTL_SECONDS * 1000) / 3)
  keepAlive.unref()
  try {
    return { ran: true, summary: await renewDueSubscriptions(container, input) }
  } finally {
    clearInterval(keepAlive)
    runningSince = undefined
    await locking.release(RENEWAL_RUN_LOCK_KEY, { ownerId }).catch(() => undefined)
  }
}

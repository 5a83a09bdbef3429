import { randomUUID } from "node:crypto"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { findScheduledNoticesStep } from "./steps/find-scheduled-notices"
import { sendSubscriptionNoticesStep, type NoticeOutcome } from "./steps/send-subscription-notices"

export const sendScheduledNoticesWorkflowId = "send-dintero-subscription-scheduled-notices"

/** Upcoming-renewal reminders and expiring-card notices due at `now`, each sent once. */
export const sendScheduledNoticesWorkflow = createWorkflow(sendScheduledNoticesWorkflowId, (input: { now: string }) => {
  const notices = findScheduledNoticesStep(input)
  return new WorkflowResponse(sendSubscriptionNoticesStep(notices))
})

/** One run at a time, across processes when Medusa's Locking module has a shared provider. */
export const NOTICES_RUN_LOCK_KEY = "dintero-subscription-notices-run"
const RUN_LOCK_TTL_SECONDS = 15 * 60

export type ScheduledNoticesReport =
  | { ran: false; reason: string }
  | { ran: true; now: string; sent: number; already_sent: number; skipped: number; failed: number; notices: NoticeOutcome[] }

/**
 * What the scheduled job does (src/jobs/send-subscription-notices.ts). A run that finds another in progress
 * does nothing; each notice is also sent under its own key's lock and idempotency key, so even runs that
 * share no lock send it once.
 */
export async function sendScheduledSubscriptionNotices(container: MedusaContainer, input: { now?: Date | string } = {}): Promise<ScheduledNoticesReport> {
  const locking = container.resolve(Modules.LOCKING)
  const ownerId = randomUUID()
  try {
    await locking.acquire(NOTICES_RUN_LOCK_KEY, { ownerId, expire: RUN_LOCK_TTL_SECONDS })
  } catch {
    return { ran: false, reason: "Another run of the subscription notices is in progress." }
  }
  try {
    const now = (input.now ? new Date(input.now) : new Date()).toISOString()
    const { result } = await sendScheduledNoticesWorkflow(container).run({ input: { now } })
    const count = (outcome: NoticeOutcome["outcome"]) => result.filter((notice) => notice.outcome === outcome).length
    const report = { ran: true as const, now, sent: count("sent"), already_sent: count("already_sent"), skipped: count("skipped"), failed: count("failed"), notices: result }
    if (report.sent || report.failed) {
      const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
      logger.info(`Subscription notices at ${now}: ${report.sent} sent, ${report.failed} not sent (tried again at the next run)`)
    }
    return report
  } finally {
    await locking.release(NOTICES_RUN_LOCK_KEY, { ownerId }).catch(() => undefined)
  }
}

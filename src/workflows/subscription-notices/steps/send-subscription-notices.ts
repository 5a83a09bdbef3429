import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardUpdateLinkForNotice } from "../card-update-link"
import { notificationChannelState } from "../notification-channel"
import type { SubscriptionNotice } from "../notices"

export type NoticeOutcome = { idempotency_key: string; kind: SubscriptionNotice["kind"]; outcome: "sent" | "already_sent" | "skipped" | "failed" }

/** Long enough to issue a link and hand one notice to the provider. */
const NOTICE_LOCK_SECONDS = 30
const warned = new Set<string>()

/**
 * Sends each notice once. Medusa's Notification module skips a notification whose `idempotency_key` it
 * already has (createNotifications lists the keys first; notification 2.21.2), but two calls at the same
 * moment both pass that check (its own TODO says so) and the second then fails on the key's unique index.
 * So each key is sent under its own lock (Locking module) and looked up first, which also keeps a repeated
 * event from issuing a second card-update link; a unique-index failure from another process (one that shares
 * no lock) is the same "already sent". A notice the provider failed to deliver is tried again on the next
 * delivery of its event or run of the job.
 */
export const sendSubscriptionNoticesStep = createStep(
  "send-dintero-subscription-notices",
  async (notices: SubscriptionNotice[], { container }) => {
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
    const outcomes: NoticeOutcome[] = []
    for (const notice of notices) {
      let outcome: NoticeOutcome["outcome"]
      try {
        outcome = await sendOnce(container, notice)
      } catch (error) {
        // One notice the provider refused does not hold back the others of a job run; it is tried again later.
        logger.error(`Dintero subscription notice ${notice.idempotency_key} was not sent: ${(error as Error).message}`)
        outcome = "failed"
      }
      outcomes.push({ idempotency_key: notice.idempotency_key, kind: notice.kind, outcome })
    }
    return new StepResponse(outcomes)
  }
)

async function sendOnce(container: MedusaContainer, notice: SubscriptionNotice): Promise<NoticeOutcome["outcome"]> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
  const state = notificationChannelState(container, notice.channel)
  if (!state.ready) {
    warnOnce(logger, notice.channel, state.why)
    return "skipped"
  }
  const notifications = container.resolve(Modules.NOTIFICATION)
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute(
    `dintero-notice:${notice.idempotency_key}`,
    async () => {
      const earlier = await findByKey(container, notice.idempotency_key)
      if (earlier && earlier.status !== "failure") {
        return "already_sent" as const
      }
      if (earlier) {
        // Medusa resends a key whose notification failed under a new id it never inserted, then fails to
        // update that id (notification 2.21.2, createNotifications_): the failed record is put aside (soft
        // deleted, kept, and out of the key's unique index) and the notice is sent as a new one.
        await (notifications as unknown as { softDeleteNotifications(ids: string[]): Promise<unknown> }).softDeleteNotifications([earlier.id])
      }
      const data = notice.with_card_update_url
        ? { ...notice.data, card_update_url: await cardUpdateLinkForNotice(container, notice.subscription_id) }
        : notice.data
      try {
        await notifications.createNotifications({
          to: notice.to,
          channel: notice.channel,
          template: notice.template,
          data,
          trigger_type: notice.trigger_type,
          resource_id: notice.subscription_id,
          resource_type: "subscription",
          receiver_id: notice.customer_id,
          idempotency_key: notice.idempotency_key,
        })
        return "sent" as const
      } catch (error) {
        if (await alreadySent(container, notice.idempotency_key)) {
          return "already_sent" as const
        }
        if (MedusaError.isMedusaError(error) && /could not find a notification provider/i.test((error as Error).message)) {
          warnOnce(logger, notice.channel, `no notification provider serves the "${notice.channel}" channel`)
          return "skipped" as const
        }
        throw error
      }
    },
    { timeout: NOTICE_LOCK_SECONDS }
  )
}

async function findByKey(container: MedusaContainer, idempotencyKey: string): Promise<{ id: string; status: string } | undefined> {
  const [existing] = await container
    .resolve(Modules.NOTIFICATION)
    .listNotifications({ idempotency_key: idempotencyKey } as Record<string, unknown>, { select: ["id", "status"], take: 1 })
  return existing
}

async function alreadySent(container: MedusaContainer, idempotencyKey: string): Promise<boolean> {
  const existing = await findByKey(container, idempotencyKey)
  return Boolean(existing && existing.status !== "failure")
}

function warnOnce(logger: Logger, channel: string, why: string) {
  if (!warned.has(channel)) {
    warned.add(channel)
    logger.warn(`Dintero subscription notices are not sent: ${why}. Configure one in Medusa's Notification module (README, "Notices").`)
  }
}

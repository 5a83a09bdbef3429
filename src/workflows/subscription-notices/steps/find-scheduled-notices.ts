import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../../subscriptions/helpers"
import { cardExpiredAt, cardExpiringNotice, renewalReminderNotice, wantsRenewalReminder, type NoticeSubscription, type SubscriptionNotice } from "../notices"
import { loadNoticeSubject, type NoticeSubject } from "../subject"

const DAY_MS = 86_400_000

/**
 * The notices due ahead of charges at `now`: for every active subscription whose next charge is within the
 * lead times (read page by page in id order, never all rows at once), an upcoming-renewal reminder
 * `renewalReminderDays` ahead for plans that want one, and an expiring-card notice `cardExpiryNoticeDays`
 * ahead when the card it is paid with will have expired by the charge. A subscription canceling at period
 * end has no next charge to announce. The same charge always gives the same notices (and keys), so a
 * notice the last run sent is found again here and skipped by the send step.
 */
export const findScheduledNoticesStep = createStep("find-dintero-subscription-scheduled-notices", async (input: { now: string }, { container }) => {
  const service = subscriptionModule(container)
  const { notifications: options, batchSize } = service.getOptions()
  const notices: SubscriptionNotice[] = []
  if (!options.enabled) {
    return new StepResponse(notices)
  }
  const now = new Date(input.now)
  const reminderUntil = now.getTime() + options.renewalReminderDays * DAY_MS
  const expiryUntil = now.getTime() + options.cardExpiryNoticeDays * DAY_MS
  const horizon = new Date(Math.max(reminderUntil, expiryUntil))

  let after: string | undefined
  for (;;) {
    const page = (await service.listSubscriptions(
      { status: ["active", "trialing"], cancel_at_period_end: false, next_charge_at: { $gt: now, $lte: horizon }, ...(after ? { id: { $gt: after } } : {}) },
      { order: { id: "ASC" }, take: batchSize }
    )) as unknown as NoticeSubscription[]
    for (const subscription of page) {
      const chargeAt = new Date(subscription.next_charge_at!).getTime()
      let subject: NoticeSubject | null | undefined
      const load = async () => (subject === undefined ? (subject = await loadNoticeSubject(container, subscription)) : subject)
      if (chargeAt <= reminderUntil && wantsRenewalReminder(subscription, options)) {
        const found = await load()
        found && notices.push(renewalReminderNotice(found))
      }
      if (chargeAt <= expiryUntil) {
        const found = await load()
        if (found && cardExpiredAt(found.card_expiry, new Date(chargeAt))) {
          notices.push(cardExpiringNotice(found))
        }
      }
    }
    if (page.length < batchSize) {
      break
    }
    after = page[page.length - 1].id
  }
  return new StepResponse(notices)
})

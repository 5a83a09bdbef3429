import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../../subscriptions/helpers"
import { canceledNotice, pastDueNotice, paymentFailedNotice, type SubscriptionNotice } from "../notices"
import { loadNoticeSubject, retrieveNoticeSubscription } from "../subject"

/** The plugin's subscription events that tell the customer something (payloads: README, "Events"). */
export type NoticeEvent =
  | { name: "subscription.payment_failed"; data: { id: string; charge_id: string | null; attempt?: number | null; next_charge_at: string | null; retry_reason?: string | null } }
  | { name: "subscription.past_due"; data: { id: string; reason: string; charge_id?: string | null } }
  | { name: "subscription.canceled"; data: { id: string; reason: string } }

/**
 * The notice an event calls for, or none. One notice per failure, saying what happens next: a declined
 * attempt with another one scheduled is "payment failed" (with the next attempt date); when the retries
 * stop it is "past due" (Dintero said DO_NOT_RETRY, or dunning ran out with `onExhausted: "past_due"`) or
 * "canceled" (dunning ran out and canceled). The "payment_failed" event of that last attempt and the
 * "past_due" event of a subscription that is still retried send nothing of their own.
 */
export const prepareEventNoticeStep = createStep("prepare-dintero-subscription-event-notice", async (event: NoticeEvent, { container }) => {
  const none = () => new StepResponse([] as SubscriptionNotice[])
  const service = subscriptionModule(container)
  if (!service.getOptions().notifications.enabled) {
    return none()
  }
  const subscription = await retrieveNoticeSubscription(container, event.data.id)
  if (!subscription) {
    return none()
  }

  if (event.name === "subscription.payment_failed") {
    // An immediate retry (Dintero's RETRY_IMMEDIATELY, in the same run) tells the customer nothing yet:
    // the retry's own outcome does.
    if (!event.data.charge_id || !event.data.next_charge_at || event.data.retry_reason === "immediate") {
      return none()
    }
    const [charge] = await service.listSubscriptionCharges({ id: event.data.charge_id }, { take: 1 })
    const subject = charge && (await loadNoticeSubject(container, subscription))
    return subject ? new StepResponse([paymentFailedNotice(subject, charge as any, event.data.next_charge_at)]) : none()
  }

  if (event.name === "subscription.past_due") {
    if (event.data.reason === "retrying" || !event.data.charge_id || subscription.status !== "past_due") {
      return none()
    }
    const subject = await loadNoticeSubject(container, subscription)
    return subject ? new StepResponse([pastDueNotice(subject, event.data.reason, event.data.charge_id)]) : none()
  }

  if (event.data.reason !== "dunning_exhausted" || subscription.status !== "canceled") {
    return none()
  }
  const subject = await loadNoticeSubject(container, subscription)
  const canceledAt = (subscription as unknown as { canceled_at?: Date | null }).canceled_at ?? null
  return subject ? new StepResponse([canceledNotice(subject, canceledAt)]) : none()
})

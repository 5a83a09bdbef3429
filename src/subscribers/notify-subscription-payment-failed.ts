import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { SubscriptionEvents } from "../workflows/subscriptions/events"
import { notifySubscriptionEventWorkflow, type NoticeEvent } from "../workflows/subscription-notices"

/** A declined renewal with another attempt scheduled: the customer is told, with the next attempt date. */
export default async function notifySubscriptionPaymentFailed({ event, container }: SubscriberArgs<Extract<NoticeEvent, { name: "subscription.payment_failed" }>["data"]>) {
  await notifySubscriptionEventWorkflow(container).run({ input: { name: SubscriptionEvents.PAYMENT_FAILED, data: event.data } })
}

export const config: SubscriberConfig = {
  event: SubscriptionEvents.PAYMENT_FAILED,
  context: { subscriberId: "dintero-notify-subscription-payment-failed" },
}

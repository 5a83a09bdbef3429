import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { SubscriptionEvents } from "../workflows/subscriptions/events"
import { notifySubscriptionEventWorkflow, type NoticeEvent } from "../workflows/subscription-notices"

/** Dunning gave up and canceled the subscription (a cancel the customer or merchant asked for sends nothing). */
export default async function notifySubscriptionCanceled({ event, container }: SubscriberArgs<Extract<NoticeEvent, { name: "subscription.canceled" }>["data"]>) {
  await notifySubscriptionEventWorkflow(container).run({ input: { name: SubscriptionEvents.CANCELED, data: event.data } })
}

export const config: SubscriberConfig = {
  event: SubscriptionEvents.CANCELED,
  context: { subscriberId: "dintero-notify-subscription-canceled" },
}

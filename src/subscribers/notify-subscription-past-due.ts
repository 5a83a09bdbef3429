import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { SubscriptionEvents } from "../workflows/subscriptions/events"
import { notifySubscriptionEventWorkflow, type NoticeEvent } from "../workflows/subscription-notices"

/** Automatic retries of a subscription's renewal stopped: the customer must replace the card. */
export default async function notifySubscriptionPastDue({ event, container }: SubscriberArgs<Extract<NoticeEvent, { name: "subscription.past_due" }>["data"]>) {
  await notifySubscriptionEventWorkflow(container).run({ input: { name: SubscriptionEvents.PAST_DUE, data: event.data } })
}

export const config: SubscriberConfig = {
  event: SubscriptionEvents.PAST_DUE,
  context: { subscriberId: "dintero-notify-subscription-past-due" },
}

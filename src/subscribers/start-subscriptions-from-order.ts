import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { createSubscriptionsFromOrderWorkflow } from "../workflows/subscriptions"

/**
 * A placed order whose cart named a plan (`metadata.subscription = { interval, interval_count }` on the
 * cart or on line items) starts a subscription on the card saved at checkout.
 */
export default async function startSubscriptionsFromOrder({ event, container }: SubscriberArgs<{ id: string }>) {
  await createSubscriptionsFromOrderWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "dintero-start-subscriptions-from-order" },
}

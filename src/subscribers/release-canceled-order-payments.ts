import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { releaseCanceledOrderPaymentsWorkflow } from "../workflows/release-payment-rest"

/**
 * Medusa's order cancel refunds what was captured but leaves the uncaptured rest of a part-captured payment
 * authorized: release it at Dintero, so the customer's card is not held for an order that no longer exists.
 */
export default async function releaseCanceledOrderPayments({ event, container }: SubscriberArgs<{ id: string }>) {
  await releaseCanceledOrderPaymentsWorkflow(container).run({ input: { order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "order.canceled",
  context: { subscriberId: "dintero-release-canceled-order-payments" },
}

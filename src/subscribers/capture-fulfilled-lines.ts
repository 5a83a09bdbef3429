import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { captureFulfilledLinesWorkflow } from "../workflows/capture-fulfilled-lines"

/**
 * Nordic practice is to capture at shipment. With the provider option `captureOnFulfillment`, each
 * fulfilment of an order paid through Dintero captures the lines it fulfilled (core-flows
 * createOrderFulfillmentWorkflow emits `order.fulfillment_created` with the order id).
 */
export default async function captureFulfilledLines({ event, container }: SubscriberArgs<{ order_id: string }>) {
  await captureFulfilledLinesWorkflow(container).run({ input: { order_id: event.data.order_id } })
}

export const config: SubscriberConfig = {
  event: "order.fulfillment_created",
  context: { subscriberId: "dintero-capture-fulfilled-lines" },
}

import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Container, Heading } from "@medusajs/ui"
import { DinteroPaymentPanel } from "../components/dintero-payment/payment-panel"
import { dinteroPaymentsOf } from "../lib/dintero-payments"

/**
 * The order's Dintero payments as Dintero has them, read live: method, amounts, status, event history and a
 * link to the transaction in Dintero's Backoffice, with partial capture and release of the rest. It follows
 * the order the dashboard loads, so a capture, refund or cancel made with Medusa's own buttons shows at once.
 */
const DinteroOrderPayments = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const payments = dinteroPaymentsOf(order)
  if (!payments.length) {
    return null
  }
  return (
    <Container className="divide-y p-0" data-testid="dintero-order-payments">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Dintero</Heading>
      </div>
      {payments.map((payment) => (
        <DinteroPaymentPanel key={payment.id} order={order} paymentId={payment.id} />
      ))}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.after" })

export default DinteroOrderPayments

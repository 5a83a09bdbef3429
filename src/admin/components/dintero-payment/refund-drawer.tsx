import { useRefundDinteroPayment, type DinteroPaymentPanel } from "../../lib/dintero-payments"
import { minorToMajor } from "../../lib/money"
import { refundAmountError } from "../../lib/refund-amount"
import { AmountDrawer, money } from "./amount-drawer"

type Props = { payment: DinteroPaymentPanel; transaction: NonNullable<DinteroPaymentPanel["dintero"]> }

/**
 * Refund an amount of what was captured. Medusa's own "Refund" (the payment's menu in its Payments section)
 * is offered only once a payment is captured in full and not canceled (order-payment-section.tsx of
 * @medusajs/dashboard), so a part-captured payment, or one whose rest was released, could not be refunded
 * from the order page. This drawer calls the same route Medusa's does, POST /admin/payments/:id/refund.
 */
export const RefundDrawer = ({ payment, transaction }: Props) => {
  const { amounts } = transaction
  // Medusa refuses more than it recorded captured less refunded; Dintero more than it holds.
  const left = Math.min(amounts.refundable, Math.max(0, payment.medusa.captured - payment.medusa.refunded))
  const refund = useRefundDinteroPayment(payment.id)

  return (
    <AmountDrawer
      operation="refund"
      title="Refund an amount"
      submitLabel="Refund"
      left={left}
      amounts={amounts}
      description={`${money(left, amounts)} of the ${money(amounts.captured, amounts)} captured can still be refunded to the customer's ${transaction.payment_method.label.toLowerCase()} payment.`}
      amountError={(text) => refundAmountError(text, left, amounts)}
      send={async (amount) => {
        await refund.mutateAsync({ amount: minorToMajor(amount, amounts.decimals) })
        return `Refunded ${money(amount, amounts)}.`
      }}
      pending={refund.isPending}
    />
  )
}

import { ArrowUpRightOnBox } from "@medusajs/icons"
import { Badge, Copy, Skeleton, Text } from "@medusajs/ui"
import { useDinteroPayment } from "../../lib/dintero-payments"
import { formatMinor } from "../../lib/money"
import { CaptureDrawer } from "./capture-drawer"
import { PaymentAmounts } from "./payment-amounts"
import { PaymentEvents } from "./payment-events"
import { PaymentMethod } from "./payment-method"
import { RefundDrawer } from "./refund-drawer"
import { ReleaseRestButton } from "./release-rest-button"
import { TransactionStatus } from "./transaction-status"

type Order = Parameters<typeof useDinteroPayment>[0]

/** One Dintero payment of the order, read live from Dintero, with its capture, release and refund actions. */
export const DinteroPaymentPanel = ({ order, paymentId }: { order: Order; paymentId: string }) => {
  const { data: payment, isPending, isError, error } = useDinteroPayment(order, paymentId)

  if (isPending) {
    return (
      <div className="flex flex-col gap-y-2 px-6 py-4">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="h-16 w-full" />
      </div>
    )
  }
  if (isError || !payment) {
    return (
      <div className="px-6 py-4">
        <Text size="small" className="text-ui-fg-error">
          Could not read payment {paymentId} from Dintero: {(error as Error | null)?.message ?? "unknown error"}
        </Text>
      </div>
    )
  }
  const transaction = payment.dintero
  if (!transaction) {
    return (
      <div className="px-6 py-4">
        <Text size="small" className="text-ui-fg-subtle">
          Payment {payment.id} has no Dintero transaction yet.
        </Text>
      </div>
    )
  }
  const { currency, decimals } = transaction.amounts
  const disagree = payment.medusa.captured !== transaction.amounts.captured || payment.medusa.refunded !== transaction.amounts.refunded
  return (
    <div className="flex flex-col gap-y-4 px-6 py-4" data-testid="dintero-payment" data-payment-id={payment.id}>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <PaymentMethod method={transaction.payment_method} />
        <div className="flex items-center gap-x-2" data-testid="dintero-status">
          {transaction.backoffice.environment === "test" ? (
            <Badge size="2xsmall" color="orange">
              Test
            </Badge>
          ) : null}
          <TransactionStatus status={transaction.status} />
        </div>
      </div>
      <PaymentAmounts amounts={transaction.amounts} />
      {disagree ? (
        <Text size="small" className="text-ui-fg-subtle">
          Medusa records {formatMinor(payment.medusa.captured, currency, decimals)} captured and{" "}
          {formatMinor(payment.medusa.refunded, currency, decimals)} refunded; Dintero's callback brings it level with Dintero.
        </Text>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <CaptureDrawer payment={payment} transaction={transaction} />
        <ReleaseRestButton payment={payment} transaction={transaction} />
        <RefundDrawer payment={payment} transaction={transaction} />
      </div>
      <PaymentEvents transaction={transaction} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex items-center gap-x-1">
          <Text size="xsmall" className="text-ui-fg-subtle break-all">
            Transaction {transaction.transaction_id}
          </Text>
          <Copy content={transaction.transaction_id} />
        </div>
        <a
          href={transaction.backoffice.url}
          target="_blank"
          rel="noopener noreferrer"
          className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover flex items-center gap-x-1 text-sm"
          data-testid="dintero-backoffice-link"
        >
          Open in Dintero Backoffice <ArrowUpRightOnBox />
        </a>
      </div>
    </div>
  )
}

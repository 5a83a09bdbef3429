import { Button, CurrencyInput, Drawer, Hint, Label, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useRefundDinteroPayment, type DinteroPaymentPanel } from "../../lib/dintero-payments"
import { currencySymbol, formatMinor, minorToMajor, parseMajorToMinor } from "../../lib/money"
import { refundAmountError } from "../../lib/refund-amount"

type Props = { payment: DinteroPaymentPanel; transaction: NonNullable<DinteroPaymentPanel["dintero"]> }

/**
 * Refund an amount of what was captured. Medusa's own "Refund" (the payment's menu in its Payments section)
 * is offered only once a payment is captured in full and not canceled (order-payment-section.tsx of
 * @medusajs/dashboard), so a part-captured payment, or one whose rest was released, could not be refunded
 * from the order page. This drawer calls the same route Medusa's does, POST /admin/payments/:id/refund.
 */
export const RefundDrawer = ({ payment, transaction }: Props) => {
  const { currency, decimals } = transaction.amounts
  // Medusa refuses more than it recorded captured less refunded; Dintero more than it holds.
  const left = Math.min(transaction.amounts.refundable, Math.max(0, payment.medusa.captured - payment.medusa.refunded))
  const [open, setOpen] = useState(false)
  const [text, setText] = useState("")
  const [touched, setTouched] = useState(false)
  const refund = useRefundDinteroPayment(payment.id)

  const error = refundAmountError(text, left, transaction.amounts)
  const reset = (next: boolean) => {
    setOpen(next)
    setText(next ? String(minorToMajor(left, decimals)) : "")
    setTouched(false)
  }
  const submit = async () => {
    setTouched(true)
    const amount = parseMajorToMinor(text, decimals)
    if (error || amount === undefined) {
      return
    }
    try {
      await refund.mutateAsync({ amount: minorToMajor(amount, decimals) })
      toast.success(`Refunded ${formatMinor(amount, currency, decimals)}.`)
      reset(false)
    } catch (err) {
      toast.error((err as Error).message || "The refund failed.")
    }
  }

  return (
    <Drawer open={open} onOpenChange={reset}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" disabled={left <= 0} data-testid="dintero-refund-open">
          Refund an amount
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>Refund an amount</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-6">
          <Text size="small" className="text-ui-fg-subtle">
            {formatMinor(left, currency, decimals)} of the {formatMinor(transaction.amounts.captured, currency, decimals)} captured can
            still be refunded to the customer's {transaction.payment_method.label.toLowerCase()} payment.
          </Text>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="dintero-refund-amount" size="small" weight="plus">
              Amount
            </Label>
            <CurrencyInput
              id="dintero-refund-amount"
              symbol={currencySymbol(currency)}
              code={currency}
              value={text}
              decimalsLimit={decimals}
              allowNegativeValue={false}
              disableGroupSeparators
              onValueChange={(value) => setText(value ?? "")}
              onBlur={() => setTouched(true)}
              aria-invalid={touched && Boolean(error)}
              data-testid="dintero-refund-amount"
            />
            {touched && error ? <Hint variant="error">{error}</Hint> : null}
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Cancel
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={refund.isPending} disabled={touched && Boolean(error)} data-testid="dintero-refund-submit">
            Refund
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

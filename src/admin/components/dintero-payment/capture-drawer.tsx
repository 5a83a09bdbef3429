import { Button, Checkbox, CurrencyInput, Drawer, Hint, Label, Text, toast } from "@medusajs/ui"
import { useState } from "react"
import { useCaptureDinteroPayment, type DinteroPaymentPanel } from "../../lib/dintero-payments"
import { captureAmountError } from "../../lib/capture-amount"
import { currencySymbol, formatMinor, minorToMajor, parseMajorToMinor } from "../../lib/money"

type Props = { payment: DinteroPaymentPanel; transaction: NonNullable<DinteroPaymentPanel["dintero"]> }

/** Capture an amount, optionally as the final capture that releases the rest of the authorization. */
export const CaptureDrawer = ({ payment, transaction }: Props) => {
  const { currency, decimals } = transaction.amounts
  // Medusa refuses to capture more than it has left of the payment (nothing once it is canceled, e.g. after a
  // release); Dintero more than it holds.
  const left = payment.medusa.canceled_at
    ? 0
    : Math.min(transaction.amounts.capturable, Math.max(0, payment.medusa.amount - payment.medusa.captured))
  const [open, setOpen] = useState(false)
  const [text, setText] = useState("")
  const [final, setFinal] = useState(false)
  const [touched, setTouched] = useState(false)
  const capture = useCaptureDinteroPayment(payment.id)

  const error = captureAmountError(text, left, transaction)
  const reset = (next: boolean) => {
    setOpen(next)
    setText(next ? String(minorToMajor(left, decimals)) : "")
    setFinal(false)
    setTouched(false)
  }
  const submit = async () => {
    setTouched(true)
    const amount = parseMajorToMinor(text, decimals)
    if (error || amount === undefined) {
      return
    }
    try {
      await capture.mutateAsync({ amount: minorToMajor(amount, decimals), final })
      toast.success(`Captured ${formatMinor(amount, currency, decimals)}${final ? " and released the rest" : ""}.`)
      reset(false)
    } catch (err) {
      toast.error((err as Error).message || "The capture failed.")
    }
  }

  return (
    <Drawer open={open} onOpenChange={reset}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" disabled={left <= 0} data-testid="dintero-capture-open">
          Capture an amount
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>Capture an amount</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-6">
          <Text size="small" className="text-ui-fg-subtle">
            {formatMinor(left, currency, decimals)} of {formatMinor(transaction.amounts.authorized, currency, decimals)} can still be
            captured from this {transaction.payment_method.label.toLowerCase()} payment.
          </Text>
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="dintero-capture-amount" size="small" weight="plus">
              Amount
            </Label>
            <CurrencyInput
              id="dintero-capture-amount"
              symbol={currencySymbol(currency)}
              code={currency}
              value={text}
              decimalsLimit={decimals}
              allowNegativeValue={false}
              disableGroupSeparators
              onValueChange={(value) => setText(value ?? "")}
              onBlur={() => setTouched(true)}
              aria-invalid={touched && Boolean(error)}
              data-testid="dintero-capture-amount"
            />
            {touched && error ? <Hint variant="error">{error}</Hint> : null}
          </div>
          <div className="flex items-start gap-x-3">
            <Checkbox
              id="dintero-capture-final"
              checked={final}
              disabled={!transaction.final_capture.possible}
              onCheckedChange={(checked) => setFinal(checked === true)}
            />
            <div className="flex flex-col">
              <Label htmlFor="dintero-capture-final" size="small" weight="plus">
                Final capture — release the rest
              </Label>
              <Hint>
                {transaction.final_capture.possible
                  ? "What is not captured now is given back to the customer and cannot be captured later."
                  : transaction.final_capture.reason}
              </Hint>
            </div>
          </div>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Cancel
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={submit} isLoading={capture.isPending} disabled={touched && Boolean(error)} data-testid="dintero-capture-submit">
            Capture
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

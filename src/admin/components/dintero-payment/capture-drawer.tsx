import { Checkbox, Hint, Label } from "@medusajs/ui"
import { useState } from "react"
import { useCaptureDinteroPayment, type DinteroPaymentPanel } from "../../lib/dintero-payments"
import { captureAmountError } from "../../lib/capture-amount"
import { minorToMajor } from "../../lib/money"
import { AmountDrawer, money } from "./amount-drawer"

type Props = { payment: DinteroPaymentPanel; transaction: NonNullable<DinteroPaymentPanel["dintero"]> }

/** Capture an amount, optionally as the final capture that releases the rest of the authorization. */
export const CaptureDrawer = ({ payment, transaction }: Props) => {
  const { amounts } = transaction
  // Medusa refuses to capture more than it has left of the payment (nothing once it is canceled, e.g. after a
  // release); Dintero more than it holds.
  const left = payment.medusa.canceled_at ? 0 : Math.min(amounts.capturable, Math.max(0, payment.medusa.amount - payment.medusa.captured))
  const [final, setFinal] = useState(false)
  const capture = useCaptureDinteroPayment(payment.id)

  return (
    <AmountDrawer
      operation="capture"
      title="Capture an amount"
      submitLabel="Capture"
      left={left}
      amounts={amounts}
      description={`${money(left, amounts)} of ${money(amounts.authorized, amounts)} can still be captured from this ${transaction.payment_method.label.toLowerCase()} payment.`}
      amountError={(text) => captureAmountError(text, left, transaction)}
      send={async (amount) => {
        await capture.mutateAsync({ amount: minorToMajor(amount, amounts.decimals), final })
        return `Captured ${money(amount, amounts)}${final ? " and released the rest" : ""}.`
      }}
      pending={capture.isPending}
      onReset={() => setFinal(false)}
    >
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
    </AmountDrawer>
  )
}

import { Button, toast, Tooltip, usePrompt } from "@medusajs/ui"
import { useReleaseDinteroPayment, type DinteroPaymentPanel } from "../../lib/dintero-payments"
import { formatMinor } from "../../lib/money"

type Props = { payment: DinteroPaymentPanel; transaction: NonNullable<DinteroPaymentPanel["dintero"]> }

/** Release the uncaptured rest of a part-captured authorization, behind a confirmation. */
export const ReleaseRestButton = ({ payment, transaction }: Props) => {
  const prompt = usePrompt()
  const release = useReleaseDinteroPayment(payment.id)
  const { capturable, currency, decimals } = transaction.amounts
  const rest = formatMinor(capturable, currency, decimals)

  const onClick = async () => {
    const confirmed = await prompt({
      title: "Release the rest?",
      description: `${rest} is still reserved on the customer's ${transaction.payment_method.label.toLowerCase()} payment. Releasing it gives it back to the customer: it can no longer be captured. What was captured can still be refunded.`,
      confirmText: `Release ${rest}`,
      cancelText: "Cancel",
      variant: "danger",
    })
    if (!confirmed) {
      return
    }
    try {
      await release.mutateAsync()
      toast.success(`Released ${rest}.`)
    } catch (err) {
      toast.error((err as Error).message || "The release failed.")
    }
  }

  const button = (
    <Button size="small" variant="secondary" onClick={onClick} isLoading={release.isPending} disabled={!transaction.release.possible || capturable <= 0 || Boolean(payment.medusa.canceled_at)} data-testid="dintero-release-open">
      Release the rest
    </Button>
  )
  // A disabled button says why, when Dintero's rules are the reason (e.g. Dintero PSP cannot void after a capture).
  if (transaction.release.possible || !transaction.release.reason) {
    return button
  }
  return (
    <Tooltip content={transaction.release.reason}>
      <span>{button}</span>
    </Tooltip>
  )
}

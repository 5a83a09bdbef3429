import type { DinteroPaymentPanel } from "./dintero-payments"
import { formatMinor, parseMajorToMinor } from "./money"
import { operationAmountError } from "./operation-amount"

type Transaction = Pick<NonNullable<DinteroPaymentPanel["dintero"]>, "amounts" | "partial_capture" | "payment_method">

/**
 * What a capture of `text` may be: a whole number of minor units, more than zero, at most what Dintero and
 * Medusa both still hold, and all of it where the product cannot capture in part. The server checks again.
 */
export function captureAmountError(text: string, left: number, transaction: Transaction): string | undefined {
  const { currency, decimals } = transaction.amounts
  const error = operationAmountError(text, left, transaction.amounts, "capture", "can still be captured")
  if (error) {
    return error
  }
  if (!transaction.partial_capture && parseMajorToMinor(text, decimals) !== left) {
    return `${transaction.payment_method.label} payments are captured in full: ${formatMinor(left, currency, decimals)}.`
  }
  return undefined
}

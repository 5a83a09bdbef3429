import type { DinteroPaymentPanel } from "./dintero-payments"
import { formatMinor, parseMajorToMinor } from "./money"

type Transaction = Pick<NonNullable<DinteroPaymentPanel["dintero"]>, "amounts" | "partial_capture" | "payment_method">

/**
 * What a capture of `text` may be: a whole number of minor units, more than zero, at most what Dintero and
 * Medusa both still hold, and all of it where the product cannot capture in part. The server checks again.
 */
export function captureAmountError(text: string, left: number, transaction: Transaction): string | undefined {
  const { currency, decimals } = transaction.amounts
  if (!text.trim()) {
    return "Enter the amount to capture."
  }
  const amount = parseMajorToMinor(text, decimals)
  if (amount === undefined) {
    return decimals ? `Enter an amount with at most ${decimals} decimals.` : `Enter a whole amount of ${currency}.`
  }
  if (amount <= 0) {
    return "Enter an amount greater than zero."
  }
  if (amount > left) {
    return `At most ${formatMinor(left, currency, decimals)} can still be captured.`
  }
  if (!transaction.partial_capture && amount !== left) {
    return `${transaction.payment_method.label} payments are captured in full: ${formatMinor(left, currency, decimals)}.`
  }
  return undefined
}

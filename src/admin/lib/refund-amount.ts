import type { DinteroPaymentPanel } from "./dintero-payments"
import { formatMinor, parseMajorToMinor } from "./money"

type Amounts = Pick<NonNullable<DinteroPaymentPanel["dintero"]>["amounts"], "currency" | "decimals">

/**
 * What a refund of `text` may be: a whole number of minor units, more than zero, at most what is captured and
 * not refunded yet (`left`). Medusa's refund route checks again ("You are not allowed to refund more than the
 * captured amount"), and Dintero after it.
 */
export function refundAmountError(text: string, left: number, amounts: Amounts): string | undefined {
  const { currency, decimals } = amounts
  if (!text.trim()) {
    return "Enter the amount to refund."
  }
  const amount = parseMajorToMinor(text, decimals)
  if (amount === undefined) {
    return decimals ? `Enter an amount with at most ${decimals} decimals.` : `Enter a whole amount of ${currency}.`
  }
  if (amount <= 0) {
    return "Enter an amount greater than zero."
  }
  if (amount > left) {
    return `At most ${formatMinor(left, currency, decimals)} can be refunded.`
  }
  return undefined
}

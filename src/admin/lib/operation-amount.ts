import { formatMinor, parseMajorToMinor } from "./money"

export type OperationAmounts = { currency: string; decimals: number }

/**
 * What an amount typed for a capture or a refund may be: a whole number of minor units, more than zero, at
 * most `left`. `verb` names the operation in the messages ("capture", "refund"); `leftPhrase` how what is
 * left is said ("can still be captured"). The server checks again, and Dintero after it.
 */
export function operationAmountError(
  text: string,
  left: number,
  { currency, decimals }: OperationAmounts,
  verb: string,
  leftPhrase: string
): string | undefined {
  if (!text.trim()) {
    return `Enter the amount to ${verb}.`
  }
  const amount = parseMajorToMinor(text, decimals)
  if (amount === undefined) {
    return decimals ? `Enter an amount with at most ${decimals} decimals.` : `Enter a whole amount of ${currency}.`
  }
  if (amount <= 0) {
    return "Enter an amount greater than zero."
  }
  if (amount > left) {
    return `At most ${formatMinor(left, currency, decimals)} ${leftPhrase}.`
  }
  return undefined
}

import { operationAmountError, type OperationAmounts } from "./operation-amount"

/**
 * What a refund of `text` may be: a whole number of minor units, more than zero, at most what is captured and
 * not refunded yet (`left`). Medusa's refund route checks again ("You are not allowed to refund more than the
 * captured amount"), and Dintero after it.
 */
export function refundAmountError(text: string, left: number, amounts: OperationAmounts): string | undefined {
  return operationAmountError(text, left, amounts, "refund", "can be refunded")
}

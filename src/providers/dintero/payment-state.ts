import { MedusaError } from "@medusajs/framework/utils"
import type { DinteroClient, TokenInclude, Transaction } from "../../lib/dintero"
import { paymentMethodLabel } from "./payment-products"
import type { DinteroData } from "./session-data"

export type PaymentState = { data: DinteroData; transaction?: Transaction; declined?: boolean }

/**
 * Where a payment stands at Dintero: the session tells whether the payer has paid (a session has at most
 * one transaction), the transaction tells how it stands. Nothing the storefront stored is trusted for this.
 */
export async function readPaymentState(
  client: DinteroClient,
  data: DinteroData,
  includes: TokenInclude[] = []
): Promise<PaymentState> {
  let transactionId = data.transaction_id
  let declined = false
  if (!transactionId) {
    const session = await client.getSession(data.session_id)
    transactionId = session.transaction_id ?? undefined
    declined = (session.events ?? []).some((event) => event.name === "DECLINED" || event.name === "FAILED")
  }
  if (!transactionId) {
    return { data, declined }
  }
  const transaction = await client.getTransaction(transactionId, includes)
  assertMatches(transaction, data)
  const productType = transaction.payment_product_type ?? undefined
  return {
    data: {
      ...data,
      transaction_id: transaction.id,
      transaction_status: transaction.status,
      ...(productType ? { payment_product_type: productType, payment_method: paymentMethodLabel(productType) } : {}),
    },
    transaction,
  }
}

/**
 * An authorization for another amount, currency or session is not this payment's authorization. The session
 * is required: a transaction that names no session (or another one) cannot be tied to this checkout, and
 * trusting it would let one cart be completed with another cart's payment. A merchant-initiated charge is
 * known by the transaction itself when Dintero's answer named no session (merchant-initiated.ts).
 */
export function assertMatches(transaction: Transaction, data: DinteroData): void {
  const sessionOfTransaction = transaction.session_id ?? (data.merchant_initiated ? transaction.id : undefined)
  const problems = [
    sessionOfTransaction !== data.session_id
      ? `checkout session (${transaction.session_id ?? "none"} ≠ ${data.session_id})`
      : undefined,
    transaction.amount !== data.amount ? `amount (${transaction.amount} ≠ ${data.amount})` : undefined,
    transaction.currency.toUpperCase() !== data.currency ? `currency (${transaction.currency} ≠ ${data.currency})` : undefined,
  ].filter(Boolean)
  if (problems.length) {
    throw new MedusaError(
      MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
      `Dintero transaction ${transaction.id} does not match this payment: ${problems.join(", ")} differ.`
    )
  }
}

import { MedusaError } from "@medusajs/framework/utils"
import type { DinteroClient, TokenInclude, Transaction } from "../../lib/dintero"
import { paymentMethodLabel } from "./payment-products"
import type { DinteroData } from "./session-data"

export type PaymentState = { data: DinteroData; transaction?: Transaction; declined?: boolean }

/**
 * Where a payment stands at Dintero, nothing the storefront stored trusted for it. A payment whose
 * transaction is not known yet is found with one `GET /v1/transactions?session_id=` (a session has at most
 * one transaction, docs /docs/checkout/after-payment; reference §5): the transaction itself, without reading
 * the session first. Only when the session has none is the session read, to tell a payer who was declined
 * (its DECLINED/FAILED events) from one who has not paid yet. Card tokens come only from the transaction read
 * on its own with `includes` (docs /docs/checkout/tokenization-fetching-storing), so asking for them costs
 * that one read more.
 */
export async function readPaymentState(
  client: DinteroClient,
  data: DinteroData,
  includes: TokenInclude[] = [],
  /** This very callback's read of the transaction from Dintero (verified-transaction.ts), when there is one. */
  verified?: Transaction
): Promise<PaymentState> {
  let transaction: Transaction | undefined
  if (verified && !data.transaction_id) {
    transaction = includes.length ? await client.getTransaction(verified.id, includes) : verified
  } else if (data.transaction_id) {
    transaction = await client.getTransaction(data.transaction_id, includes)
  } else {
    const listed = await client.listTransactions({ sessionId: data.session_id, limit: 10 })
    const found = listed.find((candidate) => candidate.session_id === data.session_id) ?? listed[0]
    if (found) {
      transaction = includes.length ? await client.getTransaction(found.id, includes) : found
    } else {
      // The session, as before: whether the payer was declined, and its transaction should a search not
      // show it yet (the session is what Dintero's checkout itself writes when the payer pays).
      const session = await client.getSession(data.session_id)
      if (!session.transaction_id) {
        const declined = (session.events ?? []).some((event) => event.name === "DECLINED" || event.name === "FAILED")
        return { data, declined }
      }
      transaction = await client.getTransaction(session.transaction_id, includes)
    }
  }
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

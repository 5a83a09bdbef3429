import { minorUnitExponent, type Transaction, type TransactionEvent } from "../../lib/dintero"
import { movedByDintero } from "./money-reconciliation"
import { capabilitiesOf, paymentMethodLabel } from "./payment-products"
import { finalCaptureMethod, releasePlan } from "./release"
import { capturedAmount } from "./transaction-facts"

/**
 * What the admin's Dintero panel shows of a transaction, read live from Dintero: the method, the money in
 * minor units, the status and the event history. Built field by field from what a merchant needs, never by
 * spreading Dintero's answer: a transaction read with token includes carries card tokens, and its customer
 * and addresses are not the panel's business (docs/guarantees.md, "no secret in any response").
 */
export type DinteroTransactionView = {
  transaction_id: string
  session_id: string | null
  status: string
  payment_method: {
    /** "Card", "Vipps", "Walley invoice", … (payment-products.ts), or Dintero's type for one not listed. */
    label: string
    payment_product: string | null
    payment_product_type: string | null
    /** Cards only: what the payer's card statement and Dintero's Backoffice show (masked PAN, never a token). */
    card: { brand: string | null; masked_pan: string | null; expiry_date: string | null } | null
  }
  /** Minor units of `currency`; `decimals` is its minor-unit exponent (NOK 2, JPY 0, KWD 3). */
  amounts: {
    currency: string
    decimals: number
    authorized: number
    captured: number
    refunded: number
    /** Released without being captured: a void of the authorization, or of the rest after a part-capture. */
    released: number
    /** Sent and accepted by Dintero (202) but not completed yet. */
    capturing: number
    refunding: number
    capturable: number
    refundable: number
  }
  events: Array<{
    id: string | null
    event: string
    amount: number | null
    success: boolean
    /** Our capture/refund id (`capt_…`, `ref_…`) for operations Medusa made; none for Backoffice ones. */
    reference: string | null
    made_by_medusa: boolean
    transaction_status: string | null
    created_at: string | null
    error: { code: string | null; message: string | null } | null
  }>
  /** Whether the uncaptured rest can be released and a capture marked final, by this product's rules. */
  release: { possible: boolean; reason: string | null }
  final_capture: { possible: boolean; reason: string | null }
  partial_capture: boolean
  backoffice: { url: string; environment: "test" | "production" }
}

/** Dintero accepts a capture only in these states (emulator and Dintero's Magento plugin agree). */
const CAPTURABLE_STATUSES = new Set(["AUTHORIZED", "PARTIALLY_CAPTURED", "PARTIALLY_CAPTURED_REFUNDED"])
const OWN_REFERENCE = /^(capt|ref)_/

function completed(transaction: Transaction, kind: string): TransactionEvent[] {
  return (transaction.events ?? []).filter((event) => event.event === kind && event.success !== false)
}

const sum = (events: TransactionEvent[]) => events.reduce((total, event) => total + (event.amount ?? 0), 0)

/**
 * The transaction in Dintero's Backoffice: `https://backoffice.dintero.com/<account>/payments/transactions/<id>`
 * (the link Dintero's Magento plugin builds in its order view, Block/Adminhtml/Order/PaymentInfo.php). The
 * account id carries the environment: `T…` is the test account, `P…` production.
 */
export function backofficeLink(accountId: string, transactionId: string): DinteroTransactionView["backoffice"] {
  return {
    url: `https://backoffice.dintero.com/${encodeURIComponent(accountId)}/payments/transactions/${encodeURIComponent(transactionId)}`,
    environment: accountId.startsWith("P") ? "production" : "test",
  }
}

export function transactionView(transaction: Transaction, accountId: string): DinteroTransactionView {
  const captured = capturedAmount(transaction)
  const refunds = completed(transaction, "REFUND")
  const refunded = refunds.length ? sum(refunds) : transaction.status === "REFUNDED" ? captured : 0
  const released =
    transaction.status === "AUTHORIZATION_VOIDED" && captured === 0 ? transaction.amount : sum(completed(transaction, "VOID"))
  const capturing = Math.max(0, movedByDintero(transaction, "CAPTURE") - captured)
  const refunding = Math.max(0, movedByDintero(transaction, "REFUND") - refunded)
  const capturable = CAPTURABLE_STATUSES.has(transaction.status)
    ? Math.max(0, transaction.amount - captured - capturing - released)
    : 0
  const productType = transaction.payment_product_type ?? null
  const card = transaction.card
  const plan = releasePlan(transaction)
  const final = finalCaptureMethod(transaction)
  return {
    transaction_id: transaction.id,
    session_id: transaction.session_id ?? null,
    status: transaction.status,
    payment_method: {
      label: paymentMethodLabel(productType) ?? transaction.payment_product ?? "Unknown",
      payment_product: transaction.payment_product ?? null,
      payment_product_type: productType,
      card: card ? { brand: card.brand ?? null, masked_pan: card.masked_pan ?? null, expiry_date: card.expiry_date ?? null } : null,
    },
    amounts: {
      currency: transaction.currency.toUpperCase(),
      decimals: minorUnitExponent(transaction.currency),
      authorized: transaction.amount,
      captured,
      refunded,
      released,
      capturing,
      refunding,
      capturable,
      refundable: Math.max(0, captured - refunded - refunding),
    },
    events: (transaction.events ?? []).map((event) => ({
      id: typeof event.id === "string" ? event.id : null,
      event: event.event,
      amount: event.amount ?? null,
      success: event.success !== false,
      reference: event.event_reference ?? null,
      made_by_medusa: OWN_REFERENCE.test(event.event_reference ?? ""),
      transaction_status: event.transaction_status ?? null,
      created_at: event.created_at ?? null,
      error: event.error ? { code: event.error.code ?? null, message: event.error.message ?? null } : null,
    })),
    release:
      captured === 0
        ? { possible: false, reason: "Nothing is captured: cancel the order to release the whole authorization." }
        : plan.action === "void"
          ? { possible: true, reason: null }
          : plan.action === "none"
            ? { possible: false, reason: "Nothing is left to release." }
            : { possible: false, reason: plan.reason },
    final_capture: final.method === "refused" ? { possible: false, reason: final.reason } : { possible: true, reason: null },
    partial_capture: capabilitiesOf(productType).partialCapture,
    backoffice: backofficeLink(accountId, transaction.id),
  }
}

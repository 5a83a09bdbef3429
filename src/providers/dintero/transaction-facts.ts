import type { Transaction, TransactionError } from "../../lib/dintero"

/** Facts read from a Dintero transaction's events (docs /docs/checkout/after-payment). */

const CAPTURED_IN_FULL = new Set(["CAPTURED", "PARTIALLY_REFUNDED", "REFUNDED"])

/** Minor units captured so far: the CAPTURE events, or the whole amount when only the status tells. */
export function capturedAmount(transaction: Transaction): number {
  const captures = (transaction.events ?? []).filter((event) => event.event === "CAPTURE" && event.success !== false)
  if (captures.length) {
    return captures.reduce((sum, event) => sum + (event.amount ?? 0), 0)
  }
  return CAPTURED_IN_FULL.has(transaction.status) ? transaction.amount : 0
}

/** Whether an operation carrying our reference (capture_reference / refund_reference) already happened. */
export function hasEvent(transaction: Transaction, name: string, reference: string): boolean {
  return (transaction.events ?? []).some(
    (event) => event.event === name && event.success !== false && event.event_reference === reference
  )
}

/** The latest error Dintero recorded on the transaction (a declined authorization carries one). */
export function latestError(transaction: Transaction): TransactionError | undefined {
  return [...(transaction.events ?? [])].reverse().find((event) => event.error)?.error ?? undefined
}

/** ": Insufficient funds (INSUFFICIENT_FUNDS)" — for messages a merchant or storefront shows. */
export function describeDecline(transaction: Transaction): string {
  const error = latestError(transaction)
  if (!error) {
    return ""
  }
  const kinds = error.type?.length ? ` (${error.type.join(", ")})` : ""
  return `: ${error.message ?? error.code ?? "declined"}${kinds}`
}

import type { Transaction, TransactionEvent } from "../../lib/dintero"
import { capturedAmount } from "./transaction-facts"

/**
 * What a Dintero transaction shows of the money moved after the payment, in minor units, for the callback
 * workflow to bring Medusa's records level with (workflows/handle-dintero-callback). Only completed
 * operations count: an INITIATE_* event (an operation answered 202) has moved nothing yet.
 *
 * "Outside" is what this plugin did not send: every capture and refund the plugin sends carries Medusa's
 * capture or refund id as its reference (`capt_…`, `ref_…`; service.ts capturePayment/refundPayment), which
 * Dintero keeps as the event's `event_reference` (payments spec TransactionEvent). Operations made in
 * Dintero's Backoffice carry none, and neither does an auto-capture. An operation of the plugin's whose
 * answer was lost carries its reference, so it is never mistaken for one made outside: the admin's retry
 * adopts it (money-reconciliation.ts).
 */
export type DinteroMoneyFacts = {
  transaction_id: string
  status: string
  currency: string
  authorized: number
  captured: number
  refunded: number
  captured_outside: number
  refunded_outside: number
  /** A void released the authorization, or the rest of it after a part-capture. */
  voided: boolean
  /** The completed operations, for the log: what a merchant can find in Dintero's Backoffice. */
  operations: Array<{ id?: string; event: string; amount: number; reference?: string }>
}

const OWN_REFERENCE = { CAPTURE: /^capt_/, REFUND: /^ref_/ } as const

function completed(transaction: Transaction, kind: "CAPTURE" | "REFUND" | "VOID"): TransactionEvent[] {
  return (transaction.events ?? []).filter((event) => event.event === kind && event.success !== false)
}

function sum(events: TransactionEvent[]): number {
  return events.reduce((total, event) => total + (event.amount ?? 0), 0)
}

function outside(transaction: Transaction, kind: "CAPTURE" | "REFUND"): number {
  return sum(completed(transaction, kind).filter((event) => !OWN_REFERENCE[kind].test(event.event_reference ?? "")))
}

export function moneyFacts(transaction: Transaction): DinteroMoneyFacts {
  const captures = completed(transaction, "CAPTURE")
  const refunds = completed(transaction, "REFUND")
  const voids = completed(transaction, "VOID")
  const captured = capturedAmount(transaction)
  // Without events, the status is all there is (capturedAmount does the same); its origin is unknown.
  const refunded = refunds.length ? sum(refunds) : transaction.status === "REFUNDED" ? captured : 0
  return {
    transaction_id: transaction.id,
    status: transaction.status,
    currency: transaction.currency,
    authorized: transaction.amount,
    captured,
    refunded,
    captured_outside: captures.length ? outside(transaction, "CAPTURE") : captured,
    refunded_outside: refunds.length ? outside(transaction, "REFUND") : refunded,
    voided: voids.length > 0 || transaction.status === "AUTHORIZATION_VOIDED",
    operations: [...captures, ...refunds, ...voids].map((event) => ({
      ...(typeof event.id === "string" ? { id: event.id } : {}),
      event: event.event,
      amount: event.amount ?? 0,
      ...(event.event_reference ? { reference: event.event_reference } : {}),
    })),
  }
}

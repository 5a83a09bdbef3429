import { MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { fromMinorUnits, toExactMinorUnits, toMinorUnits, type Transaction, type TransactionEvent } from "../../lib/dintero"
import { capturedAmount } from "./transaction-facts"

/**
 * Captures and refunds reconciled between Dintero's events and Medusa's records, so that no retry moves
 * money twice.
 *
 * Medusa records a capture (refund) before it calls the provider, passes the record's id as the
 * idempotency key, and deletes the record when the provider throws. When Dintero applied the operation
 * but neither its answer nor the read-back reached us, the admin's retry arrives with a new id that no
 * Dintero event carries (Dintero has no idempotency key for operations, reference §5). Comparing totals
 * recognises it anyway: money Dintero moved beyond Medusa's records of this payment is an earlier
 * attempt's, and the current request adopts it instead of sending it again.
 */

export type MoneyOperation = "CAPTURE" | "REFUND"

type AmountRecord = { id: string; amount?: unknown; raw_amount?: unknown; payment_id?: string | null; created_by?: string | null }
type RecordService = {
  retrieve(id: string, config?: object): Promise<AmountRecord>
  list(filters: object, config?: object): Promise<AmountRecord[]>
}
type PaymentService = { retrieve(id: string, config?: object): Promise<{ id: string; amount?: unknown; raw_amount?: unknown }> }

export type MedusaRecords = {
  /** Minor units of the record being sent now. */
  requested: number
  /** Minor units of all of the payment's records of this kind, the one being sent included. */
  recordedTotal: number
  /**
   * The record being sent is Medusa's record of an operation already made in Dintero's Backoffice
   * (RECORDED_FROM_DINTERO): the provider adopts it and never sends it.
   */
  madeInDintero: boolean
}

/**
 * `created_by` of the captures and refunds the callback workflow records for operations made in Dintero's
 * Backoffice (workflows/handle-dintero-callback). Medusa passes the provider only the record's id: this is
 * how the provider tells such a record from one an admin asks it to send.
 */
export const RECORDED_FROM_DINTERO = "dintero-backoffice"

/** What Dintero has moved, or is moving, for this kind of operation (minor units). */
export function movedByDintero(transaction: Transaction, kind: MoneyOperation): number {
  const events = transaction.events ?? []
  const completed = events.filter((event) => event.event === kind && event.success !== false)
  const done =
    kind === "CAPTURE"
      ? capturedAmount(transaction)
      : completed.length
        ? completed.reduce((sum, event) => sum + (event.amount ?? 0), 0)
        : transaction.status === "REFUNDED"
          ? capturedAmount(transaction)
          : 0
  return done + pendingAmount(transaction, kind)
}

/**
 * A 202 answer leaves an INITIATE_CAPTURE / INITIATE_REFUND event until Dintero completes it with an event
 * that carries its request id as `correlation_request_id` (reference §5 "Asynchronous operations"). Until
 * then that money is on its way and must not be asked for again.
 */
function pendingAmount(transaction: Transaction, kind: MoneyOperation): number {
  return pendingEvents(transaction, kind).reduce((sum, event) => sum + (event.amount ?? 0), 0)
}

function pendingEvents(transaction: Transaction, kind: MoneyOperation): TransactionEvent[] {
  const events = transaction.events ?? []
  const completions = events.filter((event) => event.event === kind)
  return events
    .filter((event) => event.event === `INITIATE_${kind}` && event.success !== false)
    .filter(
      (initiated) =>
        !completions.some(
          (completion) =>
            (initiated.request_id && completion.correlation_request_id === initiated.request_id) ||
            (initiated.event_reference && completion.event_reference === initiated.event_reference)
        )
    )
}

/** The events behind movedByDintero: the completed operations of this kind and those still under way. */
export function operationEvents(transaction: Transaction, kind: MoneyOperation): TransactionEvent[] {
  const completed = (transaction.events ?? []).filter((event) => event.event === kind && event.success !== false)
  return [...completed, ...pendingEvents(transaction, kind)]
}

/** Whether the operation carrying our reference already happened or is under way at Dintero. */
export function hasOperation(transaction: Transaction, kind: MoneyOperation, reference: string): boolean {
  return (transaction.events ?? []).some(
    (event) =>
      (event.event === kind || event.event === `INITIATE_${kind}`) && event.success !== false && event.event_reference === reference
  )
}

/**
 * How much of the requested amount still has to be sent: what Medusa has recorded (the current request
 * included) minus what Dintero has moved, never more than requested. What is not sent is adopted.
 */
export function amountToSend(records: MedusaRecords, moved: number): { send: number; adopted: number } {
  const missing = Math.max(0, records.recordedTotal - moved)
  const send = Math.min(records.requested, missing)
  return { send, adopted: records.requested - send }
}

/**
 * Exact minor units of an amount Medusa asks to move. An amount that is not a whole number of minor units
 * is refused rather than rounded (Medusa would record 100.005 while Dintero moved 100.01). The whole
 * payment amount is the exception: it was authorized at Dintero as `authorizedMinor` at checkout.
 */
export function requestedMinorUnits(
  amount: BigNumberInput,
  currency: string,
  whole?: { paymentAmount: BigNumberInput; authorizedMinor: number }
): number {
  const decimal = MathBN.convert(amount).toFixed()
  const exact = toExactMinorUnits(decimal, currency)
  if (exact !== undefined) {
    return exact
  }
  if (whole && MathBN.eq(amount, whole.paymentAmount)) {
    return whole.authorizedMinor
  }
  throw new MedusaError(
    MedusaError.Types.INVALID_DATA,
    `${decimal} ${currency} is not a whole number of the currency's smallest unit (${fromMinorUnits(1, currency)} ${currency}); enter the amount with at most that precision.`
  )
}

/**
 * Reads Medusa's records of this payment for the operation: the record being sent (found by the idempotency
 * key Medusa passes) and its siblings. Undefined when there is no record to go by (called outside Medusa's
 * capture/refund, or the record is gone): the caller then sends what was asked, as before.
 */
export async function readMedusaRecords(
  services: { records?: RecordService; payments?: PaymentService },
  recordId: string | undefined,
  currency: string,
  authorizedMinor: number
): Promise<MedusaRecords | undefined> {
  if (!recordId || !services.records || !services.payments) {
    return undefined
  }
  const fields = { select: ["id", "amount", "raw_amount", "payment_id", "created_by"] }
  const current = await services.records.retrieve(recordId, fields).catch(() => undefined)
  if (!current?.payment_id) {
    return undefined
  }
  const payment = await services.payments.retrieve(current.payment_id, { select: ["id", "amount", "raw_amount"] })
  const whole = { paymentAmount: amountOf(payment), authorizedMinor }
  const requested = requestedMinorUnits(amountOf(current), currency, whole)
  const siblings = (await services.records.list({ payment_id: current.payment_id }, fields)).filter((r) => r.id !== current.id)
  // Siblings went through this same check when they were sent; an older record that did not is counted as
  // Dintero would have moved it then (rounded).
  const others = siblings.reduce((sum, record) => {
    const amount = amountOf(record)
    const exact = toExactMinorUnits(MathBN.convert(amount).toFixed(), currency)
    return sum + (exact ?? (MathBN.eq(amount, whole.paymentAmount) ? authorizedMinor : toMinorUnits(MathBN.convert(amount).toFixed(), currency)))
  }, 0)
  return { requested, recordedTotal: others + requested, madeInDintero: current.created_by === RECORDED_FROM_DINTERO }
}

function amountOf(record: { amount?: unknown; raw_amount?: unknown }): BigNumberInput {
  return (record.raw_amount ?? record.amount) as BigNumberInput
}

import type { DinteroMoneyFacts } from "../../providers/dintero/operation-facts"

/** Medusa's records of one Dintero payment, in minor units of its currency. */
export type MedusaMoneyRecords = {
  payment_id: string
  currency: string
  canceled: boolean
  has_order: boolean
  captured: number
  refunded: number
  /** Of which Medusa recorded from Dintero's Backoffice (created_by RECORDED_FROM_DINTERO). */
  captured_from_dintero: number
  refunded_from_dintero: number
}

export type OperationRecordsPlan = {
  payment_id: string
  currency: string
  has_order: boolean
  transaction_id: string
  /** Minor units to record as a capture, as a refund; whether to cancel Medusa's payment. */
  capture: number
  refund: number
  cancel: boolean
  /** What Dintero shows that Medusa cannot record now (said in the log, recorded by a later callback). */
  waiting: string[]
}

/**
 * What Medusa must record so that its payment shows what Dintero's transaction shows, counting only money
 * moved outside Medusa (Dintero's Backoffice). Computed from totals, not from the event a callback names, so
 * it is the same whatever the order or number of callbacks: a REFUND reported before its CAPTURE records the
 * capture first, a duplicate finds nothing missing, an event for an operation Medusa made is already in
 * Medusa's records.
 *
 * Two bounds, both needed:
 * - never more than Dintero shows beyond all of Medusa's records (`captured - medusa.captured`): an admin's
 *   capture that adopted Backoffice money (money-reconciliation.ts) already stands for it;
 * - never more than was moved outside beyond what Medusa recorded from Dintero (`captured_outside -
 *   captured_from_dintero`): money of one of the plugin's own operations whose answer was lost is left to the
 *   admin's retry, which adopts it, so it is not recorded twice.
 */
export function planOperationRecords(facts: DinteroMoneyFacts, medusa: MedusaMoneyRecords): OperationRecordsPlan {
  const waiting: string[] = []
  let capture = Math.max(0, Math.min(facts.captured - medusa.captured, facts.captured_outside - medusa.captured_from_dintero))
  if (capture > 0 && medusa.canceled) {
    waiting.push(`a capture of ${capture} on a payment Medusa has canceled`)
    capture = 0
  }
  const missingRefund = Math.max(0, Math.min(facts.refunded - medusa.refunded, facts.refunded_outside - medusa.refunded_from_dintero))
  // Medusa refunds only what it shows captured (payment module refundPayment_).
  const refundable = Math.max(0, medusa.captured + capture - medusa.refunded)
  const refund = Math.min(missingRefund, refundable)
  if (refund < missingRefund) {
    waiting.push(`a refund of ${missingRefund - refund} beyond what Medusa shows captured`)
  }
  return {
    payment_id: medusa.payment_id,
    currency: medusa.currency,
    has_order: medusa.has_order,
    transaction_id: facts.transaction_id,
    capture,
    refund,
    cancel: facts.voided && !medusa.canceled,
    waiting,
  }
}

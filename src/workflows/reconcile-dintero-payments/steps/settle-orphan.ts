import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { dinteroAccess } from "../dintero-access"
import { summary, type TransactionSummary } from "./inspect-dintero-payment"
import { medusaRecordsOf } from "./medusa-records"

export type OrphanSettlement = {
  kind: "orphan" | "voided" | "recorded"
  reason?: string
  transaction: TransactionSummary
  void_after: string | null
  voided_at: string | null
}

/**
 * A payment Dintero authorized that no Medusa order stands for. Under the callback's per-transaction lock
 * (held by the workflow around this step), it is read again from Dintero and checked again in Medusa:
 * a transaction Medusa has as a live Payment is never voided (a late callback may just have recorded it).
 * It is voided, so the shopper's money is not held, once `voidOrphansAfterMinutes` have passed since it was
 * authorized; until then it is only reported. Captured money is never voided: it is reported, to be refunded
 * in Dintero if it is not owed.
 */
export const settleOrphanStep = createStep(
  "settle-dintero-orphan",
  async (
    input: { provider_id: string; payment_session_id: string; payment_collection_id: string; transaction_id: string; now: string },
    { container }
  ) => {
    const { client, options } = dinteroAccess(container, input.provider_id)
    const transaction = await client.getTransaction(input.transaction_id)
    const read = summary(transaction)
    const medusa = await medusaRecordsOf(container, input)
    if (medusa.livePaymentId) {
      return new StepResponse<OrphanSettlement>({
        kind: "recorded",
        reason: `Medusa has it as payment ${medusa.livePaymentId}; it is not voided.`,
        transaction: read,
        void_after: null,
        voided_at: null,
      })
    }
    const settings = options.reconciliation
    const authorizedAt = new Date(read.authorized_at ?? input.now)
    const voidAfter = new Date(authorizedAt.getTime() + settings.voidOrphansAfterMinutes * 60_000)
    if (transaction.status !== "AUTHORIZED") {
      return new StepResponse<OrphanSettlement>({
        kind: "orphan",
        reason: `Dintero reports ${transaction.status}: captured money is not voided; refund it in Dintero if it is not owed.`,
        transaction: read,
        void_after: null,
        voided_at: null,
      })
    }
    if (!settings.voidOrphans || new Date(input.now).getTime() < voidAfter.getTime()) {
      return new StepResponse<OrphanSettlement>({
        kind: "orphan",
        transaction: read,
        void_after: settings.voidOrphans ? voidAfter.toISOString() : null,
        voided_at: null,
      })
    }
    const voided = await client.voidTransaction(transaction.id)
    return new StepResponse<OrphanSettlement>({
      kind: "voided",
      reason: `Voided at Dintero (${voided.status}): no order in Medusa stood for it.`,
      transaction: summary(voided),
      void_after: voidAfter.toISOString(),
      voided_at: input.now,
    })
  }
)

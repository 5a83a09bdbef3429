import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { DINTERO_RECONCILIATION_MODULE, type DinteroReconciliationModuleService } from "../../../modules/dintero-reconciliation"
import type { TransactionSummary } from "./inspect-dintero-payment"

export type FindingInput = {
  kind: "completed" | "orphan" | "voided" | "recorded"
  reason: string
  transaction: TransactionSummary
  provider_id: string
  payment_session_id: string
  dintero_session_id: string
  cart_id: string | null
  order_id: string | null
  void_after: string | null
  voided_at: string | null
  now: string
}

/** Writes down what was found for a transaction (one row per transaction, updated when seen again). */
export const recordFindingStep = createStep("record-dintero-reconciliation-finding", async (input: FindingInput | null, { container }) => {
  if (!input) {
    return new StepResponse(null)
  }
  const service = container.resolve(DINTERO_RECONCILIATION_MODULE) as DinteroReconciliationModuleService
  const values = {
    transaction_id: input.transaction.id,
    provider_id: input.provider_id,
    payment_session_id: input.payment_session_id,
    dintero_session_id: input.dintero_session_id,
    cart_id: input.cart_id,
    order_id: input.order_id,
    kind: input.kind,
    reason: input.reason,
    transaction_status: input.transaction.status,
    amount: input.transaction.amount,
    currency_code: input.transaction.currency,
    authorized_at: input.transaction.authorized_at ? new Date(input.transaction.authorized_at) : null,
    void_after: input.void_after ? new Date(input.void_after) : null,
    voided_at: input.voided_at ? new Date(input.voided_at) : null,
    last_seen_at: new Date(input.now),
  }
  const [existing] = await service.listDinteroReconciliationFindings({ transaction_id: input.transaction.id }, { select: ["id"] })
  const finding = existing
    ? await service.updateDinteroReconciliationFindings({ id: existing.id, ...values })
    : await service.createDinteroReconciliationFindings(values)
  return new StepResponse({ id: finding.id, kind: finding.kind })
})

import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { findDinteroPaymentStep } from "./steps/find-dintero-payment"
import { readDinteroTransactionStep } from "./steps/read-dintero-transaction"

export type { MedusaPaymentRecord } from "./steps/find-dintero-payment"

/**
 * The admin's Dintero panel for one payment: Medusa's record of it beside its transaction read live from
 * Dintero (method, amounts, status, events, Backoffice link). Reads only.
 */
export const readDinteroPaymentWorkflow = createWorkflow("read-dintero-payment-for-admin", (input: { payment_id: string }) => {
  const payment = findDinteroPaymentStep(input)
  const transaction = readDinteroTransactionStep(
    transform({ payment }, ({ payment }) => ({ provider_id: payment.provider_id, transaction_id: payment.transaction_id }))
  )
  return new WorkflowResponse(
    transform({ payment, transaction }, ({ payment, transaction }) => ({
      id: payment.id,
      provider_id: payment.provider_id,
      currency_code: payment.currency_code,
      medusa: {
        amount: payment.amount,
        captured: payment.captured,
        refunded: payment.refunded,
        captured_at: payment.captured_at,
        canceled_at: payment.canceled_at,
      },
      dintero: transaction,
    }))
  )
})

import { processPaymentWorkflowId } from "@medusajs/medusa/core-flows"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { WebhookActionResult } from "@medusajs/framework/types"
import { forgetVerifiedTransactions } from "../../../providers/dintero/verified-transaction"

/**
 * Runs Medusa's processPaymentWorkflow on its own, as Medusa's payment-webhook subscriber does, not as a
 * nested step: nested, its cart lock is skipped (core-flows locking/steps/acquire-lock.js skips sub-workflows),
 * and a failure of a later step of ours would compensate its authorization, which cancels (voids) the payment.
 *
 * Whatever fails here (a "not found" or "not allowed" from inside Medusa included) leaves a payment Dintero
 * authorized without its order, so it is reported as a failure for Dintero to retry, never as a final 4xx.
 */
export const processCallbackPaymentStep = createStep(
  "process-dintero-callback-payment",
  async (input: { result: WebhookActionResult; firstCompletion: boolean }, { container }) => {
    const { result } = input
    if (!input.firstCompletion) {
      // Only the first completion authorizes with the transaction this callback read (verified-transaction.ts).
      forgetVerifiedTransactions()
    }
    const workflowEngine = container.resolve(Modules.WORKFLOW_ENGINE)
    try {
      await workflowEngine.run(processPaymentWorkflowId, { input: result, throwOnError: true })
    } catch (error) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `Processing the payment of session ${result.data?.session_id} failed: ${(error as Error)?.message ?? String(error)}`
      )
    } finally {
      forgetVerifiedTransactions()
    }
    return new StepResponse(undefined)
  }
)

import { processPaymentWorkflowId } from "@medusajs/medusa/core-flows"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { WebhookActionResult } from "@medusajs/framework/types"
import { medusaRecordsOf } from "./medusa-records"

/**
 * Completes a paid session whose callback never arrived exactly as the callback would: Medusa's
 * processPaymentWorkflow, run on its own (see handle-dintero-callback/steps/process-callback-payment.ts for
 * why not nested), under the callback's own per-transaction lock, which the workflow holds around this step.
 * Under that lock it first looks again: a callback that got there first has recorded the Payment (and the
 * order), and then nothing is run a second time.
 */
export const completeReconciledPaymentStep = createStep(
  "complete-reconciled-dintero-payment",
  async (
    input: { webhook: WebhookActionResult; payment_session_id: string; payment_collection_id: string; transaction_id: string },
    { container }
  ) => {
    const now = await medusaRecordsOf(container, input)
    if (now.livePaymentId && (!now.cartId || now.orderId)) {
      return new StepResponse({ already: true })
    }
    try {
      await container.resolve(Modules.WORKFLOW_ENGINE).run(processPaymentWorkflowId, { input: input.webhook, throwOnError: true })
    } catch (error) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `Completing the payment of session ${input.payment_session_id} failed: ${(error as Error)?.message ?? String(error)}`
      )
    }
    return new StepResponse({ already: false })
  }
)

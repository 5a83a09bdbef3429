import { processPaymentWorkflowId } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { WebhookActionResult } from "@medusajs/framework/types"

/**
 * Runs Medusa's processPaymentWorkflow on its own, as Medusa's payment-webhook subscriber does, not as a
 * nested step: nested, its cart lock is skipped (core-flows locking/steps/acquire-lock.js skips sub-workflows),
 * and a failure of a later step of ours would compensate its authorization, which cancels (voids) the payment.
 */
export const processCallbackPaymentStep = createStep(
  "process-dintero-callback-payment",
  async (result: WebhookActionResult, { container }) => {
    const workflowEngine = container.resolve(Modules.WORKFLOW_ENGINE)
    await workflowEngine.run(processPaymentWorkflowId, { input: result, throwOnError: true })
    return new StepResponse(undefined)
  }
)

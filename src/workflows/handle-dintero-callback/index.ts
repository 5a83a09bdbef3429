import { processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { PaymentActions } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { resolveCallbackActionStep, type DinteroCallbackInput } from "./steps/resolve-callback-action"

export const handleDinteroCallbackWorkflowId = "handle-dintero-callback"

/**
 * A Dintero callback: find out what happened from Dintero itself, then let Medusa's own
 * processPaymentWorkflow authorize/capture the session and complete the cart. That workflow takes the
 * cart lock and skips carts that already have an order, so a callback racing the customer's return, or a
 * replayed callback, yields exactly one order.
 */
export const handleDinteroCallbackWorkflow = createWorkflow(
  handleDinteroCallbackWorkflowId,
  (input: DinteroCallbackInput) => {
    const result = resolveCallbackActionStep(input)

    when("dintero-callback-moves-money", { result }, ({ result }) =>
      (result.action === PaymentActions.AUTHORIZED || result.action === PaymentActions.SUCCESSFUL) &&
      !!result.data?.session_id
    ).then(() => {
      processPaymentWorkflow.runAsStep({ input: result as any })
    })

    const response = transform({ result }, ({ result }) => ({
      received: true,
      action: result.action,
      payment_session_id: result.data?.session_id ?? null,
    }))
    return new WorkflowResponse(response)
  }
)

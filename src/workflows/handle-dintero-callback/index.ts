import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { PaymentActions } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { confirmCallbackOutcomeStep } from "./steps/confirm-callback-outcome"
import { processCallbackPaymentStep } from "./steps/process-callback-payment"
import { resolveCallbackActionStep, type DinteroCallbackInput } from "./steps/resolve-callback-action"

export const handleDinteroCallbackWorkflowId = "handle-dintero-callback"

/** Dintero retries and may deliver one callback several times at once; each waits for the one before. */
const LOCK_TIMEOUT_SECONDS = 30
const LOCK_TTL_SECONDS = 120

/**
 * A Dintero callback, one at a time per Dintero transaction (Medusa's Locking module): find out from
 * Dintero itself what happened (the provider checks the signature first), let Medusa's own
 * processPaymentWorkflow authorize/capture the session and complete the cart under Medusa's cart lock,
 * then confirm from the database that an authorized payment ended in a Payment and an order. Anything
 * short of that fails the workflow, so the route answers 5xx and Dintero retries.
 */
export const handleDinteroCallbackWorkflow = createWorkflow(
  handleDinteroCallbackWorkflowId,
  (input: DinteroCallbackInput) => {
    const transactionId = transform({ input }, ({ input }) =>
      new URLSearchParams(input.query).get("transaction_id") ?? input.bodyTransactionId ?? undefined
    )
    // The transaction the request names, before it is verified: the provider refuses it if unsigned, and a
    // request naming none has nothing to serialize (acquireLockStep/releaseLockStep skip an undefined key).
    const lockKey = transform({ transactionId }, ({ transactionId }) =>
      transactionId ? `dintero-callback:${transactionId}` : undefined
    )
    acquireLockStep({ key: lockKey as unknown as string, timeout: LOCK_TIMEOUT_SECONDS, ttl: LOCK_TTL_SECONDS })

    const result = resolveCallbackActionStep(input)

    const outcome = when("dintero-callback-moves-money", { result }, ({ result }) =>
      (result.action === PaymentActions.AUTHORIZED || result.action === PaymentActions.SUCCESSFUL) &&
      !!result.data?.session_id
    ).then(() => {
      processCallbackPaymentStep(result)
      const expected = transform({ result, transactionId }, ({ result, transactionId }) => ({
        paymentSessionId: result.data!.session_id,
        transactionId,
      }))
      return confirmCallbackOutcomeStep(expected)
    })

    releaseLockStep({ key: lockKey as unknown as string })

    const response = transform({ result, outcome }, ({ result, outcome }) => ({
      received: true,
      action: result.action,
      payment_session_id: result.data?.session_id ?? null,
      order_id: outcome?.orderId ?? null,
    }))
    return new WorkflowResponse(response)
  }
)

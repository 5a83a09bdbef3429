import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { PaymentActions } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { MerchantInitiatedDecision } from "../../providers/dintero/callback"
import { settleHeldRenewalStep } from "../settle-merchant-initiated-charge"
import { confirmCallbackOutcomeStep } from "./steps/confirm-callback-outcome"
import { processCallbackPaymentStep } from "./steps/process-callback-payment"
import { resolveCallbackActionStep, type DinteroCallbackInput } from "./steps/resolve-callback-action"

export const handleDinteroCallbackWorkflowId = "handle-dintero-callback"

/** Dintero retries and may deliver one callback several times at once; each waits for the one before. */
const LOCK_TIMEOUT_SECONDS = 30
const LOCK_TTL_SECONDS = 120

/**
 * A Dintero callback: find out from Dintero itself what happened (the provider checks the signature
 * first), then, one at a time per Dintero transaction (Medusa's Locking module), let Medusa's own
 * processPaymentWorkflow authorize/capture the session and complete the cart under Medusa's cart lock,
 * then confirm from the database that an authorized payment ended in a Payment and an order. Anything
 * short of that fails the workflow, so the route answers 5xx and Dintero retries.
 */
export const handleDinteroCallbackWorkflow = createWorkflow(
  handleDinteroCallbackWorkflowId,
  (input: DinteroCallbackInput) => {
    // The provider verifies the signature before anything else, so an unsigned request never touches the lock.
    const result = resolveCallbackActionStep(input)
    const transactionId = transform({ input }, ({ input }) =>
      new URLSearchParams(input.query).get("transaction_id") ?? input.bodyTransactionId ?? undefined
    )

    const outcome = when("dintero-callback-moves-money", { result }, ({ result }) =>
      (result.action === PaymentActions.AUTHORIZED || result.action === PaymentActions.SUCCESSFUL) &&
      !!result.data?.session_id
    ).then(() => {
      // Keyed by the verified transaction (or, unsigned stores, the session it belongs to). acquireLockStep
      // releases the lock in its compensation when a later step fails.
      const lockKey = transform({ result, transactionId }, ({ result, transactionId }) =>
        `dintero-callback:${transactionId ?? result.data!.session_id}`
      )
      acquireLockStep({ key: lockKey, timeout: LOCK_TIMEOUT_SECONDS, ttl: LOCK_TTL_SECONDS })
      processCallbackPaymentStep(result)
      const expected = transform({ result, transactionId }, ({ result, transactionId }) => ({
        paymentSessionId: result.data!.session_id,
        transactionId,
      }))
      const confirmed = confirmCallbackOutcomeStep(expected)
      releaseLockStep({ key: lockKey })
      return confirmed
    })

    // A held merchant-initiated charge (a subscription renewal) that Dintero has now decided.
    when("dintero-callback-settles-held-charge", { result }, ({ result }) => !!(result.data as any)?.merchant_initiated).then(() => {
      settleHeldRenewalStep(transform({ result }, ({ result }) => (result.data as any).merchant_initiated as MerchantInitiatedDecision))
    })

    const response = transform({ result, outcome }, ({ result, outcome }) => ({
      received: true,
      action: result.action,
      payment_session_id: result.data?.session_id ?? null,
      order_id: outcome?.orderId ?? null,
    }))
    return new WorkflowResponse(response)
  }
)

import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CardSetupNotice, MerchantInitiatedDecision } from "../../providers/dintero/callback"
import { completeCardSetupWorkflow } from "../card-setup"
import { authorizeCardVerificationBeforePaymentStep } from "../zero-amount-checkout/steps/authorize-card-verification-before-payment"
import { settleHeldRenewalStep } from "../settle-merchant-initiated-charge"
import { adoptExpressPaymentStep } from "../dintero-express/steps/adopt-express-payment"
import type { ExpressAdoption } from "../dintero-express/adopt-express-payment"
import { classifyCallbackStep } from "./steps/classify-callback"
import { confirmCallbackOutcomeStep } from "./steps/confirm-callback-outcome"
import { logCallbackFailureStep } from "./steps/log-callback-failure"
import { processCallbackPaymentStep } from "./steps/process-callback-payment"
import { readOperationsToRecordStep } from "./steps/read-operations-to-record"
import { recordDinteroCancellationStep, recordDinteroCaptureStep, recordDinteroRefundStep } from "./steps/record-dintero-operations"
import { resolveCallbackActionStep, type DinteroCallbackInput } from "./steps/resolve-callback-action"

export const handleDinteroCallbackWorkflowId = "handle-dintero-callback"

/** Runs one callback's handling in its own scope, so its read of Dintero serves its own authorization once. */
export { withCallbackScope } from "../../providers/dintero/verified-transaction"

/** Dintero retries and may deliver one callback several times at once; each waits for the one before. */
const LOCK_TIMEOUT_SECONDS = 30
const LOCK_TTL_SECONDS = 120

/**
 * A Dintero callback: find out from Dintero itself what happened (the provider checks the signature first),
 * then, one at a time per Dintero transaction (Medusa's Locking module), see what kind of callback it is and
 * run its branch (classify-callback.ts):
 * - `payment`: Medusa's own processPaymentWorkflow authorizes/captures the session and completes the cart
 *   under Medusa's cart lock, then the database must show a Payment and an order;
 * - `operations`: captures, refunds and voids made in Dintero's Backoffice (report_event) are recorded on
 *   Medusa's payment, from totals read again under the lock, and nothing is sent to Dintero;
 * - `failure`: a failed or cancelled payment (report_error) is logged; nothing moves;
 * - `held_charge`: a renewal Dintero held for review and has now decided is settled as the renewal job would;
 * - `card_setup`: a card saved without a purchase completes its card setup (workflows/card-setup), once.
 * Anything that fails makes the route answer 5xx, and Dintero retries.
 */
export const handleDinteroCallbackWorkflow = createWorkflow(
  handleDinteroCallbackWorkflowId,
  (input: DinteroCallbackInput) => {
    // The provider verifies the signature before anything else, so an unsigned request never touches the lock.
    const result = resolveCallbackActionStep(input)
    const transactionId = transform({ input }, ({ input }) =>
      new URLSearchParams(input.query).get("transaction_id") ?? input.bodyTransactionId ?? undefined
    )
    // Keyed by the verified transaction (or, unsigned stores, the session it belongs to). acquireLockStep
    // releases the lock in its compensation when a later step fails.
    const lockKey = transform({ result, transactionId }, ({ result, transactionId }) =>
      result.data?.session_id ? `dintero-callback:${transactionId ?? result.data.session_id}` : undefined
    )
    when("dintero-callback-lock", { lockKey }, ({ lockKey }) => !!lockKey).then(() => {
      acquireLockStep({ key: lockKey as unknown as string, timeout: LOCK_TIMEOUT_SECONDS, ttl: LOCK_TTL_SECONDS })
    })

    const callback = classifyCallbackStep({ result, query: input.query })

    // An express checkout's cart takes the address and shipping option the shopper chose in Dintero, or the
    // payment is refused and voided when the cart no longer matches it (workflows/dintero-express).
    const express = when("dintero-callback-adopts-express-payment", { callback }, ({ callback }) => callback.kind === "payment").then(() =>
      adoptExpressPaymentStep(result)
    )

    const completed = when("dintero-callback-completes-payment", { callback, express }, ({ callback, express }) => callback.kind === "payment" && !express?.refused).then(() => {
      const payment = transform({ express }, ({ express }) => (express as Extract<ExpressAdoption, { refused: false }>).result)
      // A free trial's card verification is authorized (or refused) before Medusa completes the cart.
      authorizeCardVerificationBeforePaymentStep(payment)
      processCallbackPaymentStep(
        transform({ payment, callback }, ({ payment, callback }) => ({ result: payment, firstCompletion: callback.first_completion === true }))
      )
      const expected = transform({ express, transactionId, callback }, ({ express, transactionId, callback }) => ({
        paymentSessionId: (express as Extract<ExpressAdoption, { refused: false }>).paymentSessionId,
        transactionId,
        cartId: callback.cart_id,
      }))
      return confirmCallbackOutcomeStep(expected)
    })

    const recorded = when("dintero-callback-reports-operations", { callback }, ({ callback }) => callback.kind === "operations").then(() => {
      const plan = readOperationsToRecordStep(
        transform({ input, callback }, ({ input, callback }) => ({ callback: input, payment_id: callback.payment_id! }))
      )
      const captured = recordDinteroCaptureStep(plan)
      const refunded = recordDinteroRefundStep(plan)
      const canceled = recordDinteroCancellationStep(plan)
      return transform({ captured, refunded, canceled }, (recorded) => recorded)
    })

    when("dintero-callback-reports-failure", { callback }, ({ callback }) => callback.kind === "failure").then(() => {
      logCallbackFailureStep({ result, query: input.query })
    })

    // A held merchant-initiated charge (a subscription renewal) that Dintero has now decided.
    when("dintero-callback-settles-held-charge", { callback }, ({ callback }) => callback.kind === "held_charge").then(() => {
      settleHeldRenewalStep(transform({ result }, ({ result }) => (result.data as any).merchant_initiated as MerchantInitiatedDecision))
    })

    // A card saved without a purchase (zero-amount token session): the card setup completes, if the return did not already.
    when("dintero-callback-completes-card-setup", { callback }, ({ callback }) => callback.kind === "card_setup").then(() => {
      completeCardSetupWorkflow.runAsStep({
        input: transform({ result }, ({ result }) => ({ id: ((result.data as any).card_setup as CardSetupNotice).card_setup_id })),
      })
    })

    when("dintero-callback-unlock", { lockKey }, ({ lockKey }) => !!lockKey).then(() => {
      releaseLockStep({ key: lockKey as unknown as string })
    })

    const response = transform({ result, callback, completed, recorded, express }, ({ result, callback, completed, recorded, express }) => ({
      received: true,
      action: result.action,
      kind: callback.kind,
      // An express payment the cart no longer matched: not completed, voided at Dintero (docs/express.md).
      ...(express?.refused ? { express_refused: { reason: express.reason, voided: express.voided } } : {}),
      payment_session_id: result.data?.session_id ?? null,
      order_id: completed?.orderId ?? null,
      // Minor units recorded from Dintero's Backoffice by this callback.
      recorded: recorded ? { captured: recorded.captured, refunded: recorded.refunded, canceled: recorded.canceled } : null,
    }))
    return new WorkflowResponse(response)
  }
)

import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { confirmCallbackOutcomeStep } from "../handle-dintero-callback/steps/confirm-callback-outcome"
import { authorizeCardVerificationBeforePaymentStep } from "../zero-amount-checkout/steps/authorize-card-verification-before-payment"
import { completeReconciledPaymentStep } from "./steps/complete-reconciled-payment"
import { inspectDinteroPaymentStep, type ReconcileSessionInput } from "./steps/inspect-dintero-payment"
import { recordFindingStep, type FindingInput } from "./steps/record-finding"
import { settleOrphanStep } from "./steps/settle-orphan"
import type { WebhookActionResult } from "@medusajs/framework/types"
import type { ExpressAdoption } from "../dintero-express/adopt-express-payment"
import { adoptExpressPaymentStep } from "../dintero-express/steps/adopt-express-payment"

export const reconcileDinteroSessionWorkflowId = "reconcile-dintero-session"

/** As the callback's lock (handle-dintero-callback): the same key, so the two never work on one transaction at once. */
const LOCK_TIMEOUT_SECONDS = 30
const LOCK_TTL_SECONDS = 120
export const transactionLockKey = (transactionId: string) => `dintero-callback:${transactionId}`

/**
 * One payment session that stayed pending: read back from Dintero, then — under the callback's lock for the
 * transaction — a paid one Medusa is missing is completed as the callback would, and one no Medusa order
 * can take is reported and, in time, voided. Unpaid or undecided sessions are left alone.
 */
export const reconcileDinteroSessionWorkflow = createWorkflow(reconcileDinteroSessionWorkflowId, (input: ReconcileSessionInput) => {
  const inspection = inspectDinteroPaymentStep(input)

  // An express cart takes what the shopper chose in Dintero first, or the payment is refused and voided, as on the
  // callback (workflows/dintero-express); any other payment passes through unchanged.
  const express = when("reconcile-adopts-express-payment", { inspection }, ({ inspection }) => inspection.verdict === "complete").then(() => {
    const key = transform({ inspection }, ({ inspection }) => transactionLockKey(inspection.transaction!.id))
    acquireLockStep({ key, timeout: LOCK_TIMEOUT_SECONDS, ttl: LOCK_TTL_SECONDS }).config({ name: "lock-transaction-to-complete" })
    return adoptExpressPaymentStep(transform({ inspection }, ({ inspection }) => inspection.webhook! as unknown as WebhookActionResult))
  })

  when("reconcile-express-refused", { inspection, express }, ({ inspection, express }) => inspection.verdict === "complete" && !!express?.refused).then(() => {
    releaseLockStep({ key: transform({ inspection }, ({ inspection }) => transactionLockKey(inspection.transaction!.id)) }).config({
      name: "unlock-refused-express-transaction",
    })
  })

  const completed = when("reconcile-completes-payment", { inspection, express }, ({ inspection, express }) => inspection.verdict === "complete" && !express?.refused).then(() => {
    const key = transform({ inspection }, ({ inspection }) => transactionLockKey(inspection.transaction!.id))
    const adopted = transform({ express }, ({ express }) => express as Extract<ExpressAdoption, { refused: false }>)
    // As the callback: a free trial's card verification is authorized (or refused) before Medusa completes the cart.
    authorizeCardVerificationBeforePaymentStep(transform({ adopted }, ({ adopted }) => adopted.result))
    const done = completeReconciledPaymentStep(
      transform({ input, inspection, adopted }, ({ input, inspection, adopted }) => ({
        webhook: adopted.result,
        payment_session_id: adopted.paymentSessionId,
        payment_collection_id: input.payment_collection_id,
        transaction_id: inspection.transaction!.id,
      }))
    )
    // As after a callback: an authorized payment must have ended in a Payment and, for a cart, an order.
    const confirmed = confirmCallbackOutcomeStep(
      transform({ inspection, adopted }, ({ inspection, adopted }) => ({ paymentSessionId: adopted.paymentSessionId, transactionId: inspection.transaction!.id }))
    )
    releaseLockStep({ key }).config({ name: "unlock-completed-transaction" })
    return transform({ done, confirmed }, ({ done, confirmed }) => ({ already: done.already, order_id: confirmed.orderId }))
  })

  const orphan = when("reconcile-settles-orphan", { inspection }, ({ inspection }) => inspection.verdict === "orphan").then(() => {
    const key = transform({ inspection }, ({ inspection }) => transactionLockKey(inspection.transaction!.id))
    acquireLockStep({ key, timeout: LOCK_TIMEOUT_SECONDS, ttl: LOCK_TTL_SECONDS }).config({ name: "lock-orphan-transaction" })
    const settled = settleOrphanStep(
      transform({ input, inspection }, ({ input, inspection }) => ({
        provider_id: input.provider_id,
        payment_session_id: input.payment_session_id,
        payment_collection_id: input.payment_collection_id,
        transaction_id: inspection.transaction!.id,
        now: input.now,
      }))
    )
    releaseLockStep({ key }).config({ name: "unlock-orphan-transaction" })
    return settled
  })

  const finding = transform({ input, inspection, completed, orphan, express }, ({ input, inspection, completed, orphan, express }): FindingInput | null => {
    const base = {
      provider_id: input.provider_id,
      payment_session_id: input.payment_session_id,
      dintero_session_id: input.dintero_session_id,
      cart_id: inspection.cart_id,
      order_id: inspection.order_id,
      now: input.now,
    }
    if (express?.refused) {
      return {
        ...base,
        kind: express.voided ? "voided" : "orphan",
        reason: `Express payment refused: ${express.reason}.`,
        transaction: inspection.transaction!,
        void_after: null,
        voided_at: express.voided ? input.now : null,
      }
    }
    if (completed && !completed.already) {
      return { ...base, kind: "completed", reason: inspection.reason, transaction: inspection.transaction!, order_id: completed.order_id, void_after: null, voided_at: null }
    }
    if (orphan && orphan.kind !== "recorded") {
      return { ...base, kind: orphan.kind, reason: orphan.reason ?? inspection.reason, transaction: orphan.transaction, void_after: orphan.void_after, voided_at: orphan.voided_at }
    }
    return null
  })
  recordFindingStep(finding)

  return new WorkflowResponse(
    transform({ inspection, completed, orphan, express }, ({ inspection, completed, orphan, express }) => ({
      verdict: inspection.verdict,
      outcome: express?.refused
        ? express.voided
          ? "voided"
          : "orphan"
        : completed
          ? (completed.already ? "already_completed" : "completed")
          : orphan
            ? orphan.kind
            : inspection.verdict,
      transaction_id: inspection.transaction?.id ?? null,
      order_id: completed?.order_id ?? null,
    }))
  )
})

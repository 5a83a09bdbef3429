import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { authorizeCardVerificationStep } from "./steps/authorize-card-verification"

export const authorizeCardVerificationWorkflowId = "authorize-dintero-card-verification"

/** As completeCartWorkflow's own acquireLockStep (core-flows cart/workflows/complete-cart.js: key = the cart id). */
const LOCK_TIMEOUT_SECONDS = 30
const LOCK_TTL_SECONDS = 120

/**
 * Before a cart with nothing to pay that starts a subscription is completed, its card must be saved at Dintero
 * (authorize-card-verification.ts): Medusa 2.21 skips payment for such a cart. This runs BEFORE Medusa's
 * completeCartWorkflow on every path the plugin controls (the store route's middleware, Dintero's callback,
 * the reconciliation), under the same cart lock Medusa's completion takes, so it never runs beside a
 * completion of the same cart. It does not use completeCartWorkflow's `validate` hook: Medusa allows one
 * handler per hook, and that one is the store's.
 *
 * A store completing such a cart from its own code (completeCartWorkflow directly) runs this workflow first.
 * Run it on its own (workflow engine or `.run()`), not nested: nested, acquireLockStep skips the lock.
 */
export const authorizeCardVerificationWorkflow = createWorkflow(authorizeCardVerificationWorkflowId, (input: { cart_id: string }) => {
  acquireLockStep({ key: input.cart_id, timeout: LOCK_TIMEOUT_SECONDS, ttl: LOCK_TTL_SECONDS })
  authorizeCardVerificationStep(input)
  releaseLockStep({ key: input.cart_id })
  return new WorkflowResponse(undefined)
})

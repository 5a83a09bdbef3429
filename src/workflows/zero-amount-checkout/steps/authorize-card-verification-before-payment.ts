import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { WebhookActionResult } from "@medusajs/framework/types"
import { authorizeCardVerificationWorkflowId } from "../workflow"

/**
 * Dintero's callback and the reconciliation hand a paid session to Medusa's processPaymentWorkflow, which
 * completes the session's cart. For a cart with nothing to pay that starts a subscription, the card
 * verification is authorized (or the completion refused) first, by the plugin's own workflow, as the store
 * route's middleware does (workflow.ts). Run on its own, not nested, so it takes the cart lock.
 *
 * A refusal here leaves what Dintero confirmed without its order, so it is a failure for Dintero to retry
 * (and for the reconciliation to report), never a final 4xx, as in process-callback-payment.ts.
 */
export const authorizeCardVerificationBeforePaymentStep = createStep(
  "authorize-dintero-card-verification-before-payment",
  async (input: WebhookActionResult, { container }) => {
    const sessionId = input.data?.session_id
    if (!sessionId) {
      return new StepResponse(undefined)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: sessions } = await query.graph({ entity: "payment_session", fields: ["payment_collection_id"], filters: { id: sessionId } })
    const collectionId = (sessions[0] as { payment_collection_id?: string } | undefined)?.payment_collection_id
    if (!collectionId) {
      return new StepResponse(undefined)
    }
    const { data: links } = await query.graph({
      entity: "cart_payment_collection",
      fields: ["cart_id"],
      filters: { payment_collection_id: collectionId },
    })
    const cartId = (links[0] as { cart_id?: string } | undefined)?.cart_id
    if (!cartId) {
      // An order edit's or a subscription charge's collection: no cart to complete.
      return new StepResponse(undefined)
    }
    try {
      await container.resolve(Modules.WORKFLOW_ENGINE).run(authorizeCardVerificationWorkflowId, { input: { cart_id: cartId }, throwOnError: true })
    } catch (error) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `The card verification of session ${sessionId} could not complete its cart: ${(error as Error)?.message ?? String(error)}`
      )
    }
    return new StepResponse(undefined)
  }
)

import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { StepResponse } from "@medusajs/framework/workflows-sdk"
import { authorizeCardVerification, type CartToComplete } from "../zero-amount-checkout"

/**
 * A cart with nothing to pay that starts a subscription is completed only with its card saved at Dintero
 * (zero-amount-checkout/authorize-card-verification.ts). Medusa's `validate` hook runs before the order is
 * created, under the cart lock, on every path that completes a cart: the store route, and Dintero's callback
 * through processPaymentWorkflow. Medusa allows one handler per hook (workflows-sdk create-hook.js): the
 * plugin takes this one (README "Plans").
 */
completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
  await authorizeCardVerification(container, cart as unknown as CartToComplete)
  return new StepResponse(undefined)
})

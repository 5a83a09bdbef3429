import { addToCartWorkflow } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { prepareSubscriptionCartItemStep, type SubscriptionCartItemInput } from "./steps/prepare-subscription-cart-item"

export const addSubscriptionItemToCartWorkflowId = "add-subscription-item-to-cart"

/**
 * Adds a variant sold as a subscription to a cart with the merchant's plan (and, for a trial, at the
 * merchant's trial price) through Medusa's addToCartWorkflow: the only way a cart line gets a trial.
 */
export const addSubscriptionItemToCartWorkflow = createWorkflow(addSubscriptionItemToCartWorkflowId, (input: SubscriptionCartItemInput) => {
  const item = prepareSubscriptionCartItemStep(input)
  addToCartWorkflow.runAsStep({
    input: transform({ input, item }, ({ input, item }) => ({ cart_id: input.cart_id, items: [item] })),
  })
  return new WorkflowResponse(item)
})

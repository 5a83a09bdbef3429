import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../helpers"

/**
 * The subscription to change. With `customer_id` (store routes pass the logged-in customer) another
 * customer's subscription is reported as not found, exactly like one that does not exist.
 */
export const loadSubscriptionStep = createStep(
  "load-subscription",
  async (input: { id: string; customer_id?: string }, { container }) => {
    const [subscription] = await subscriptionModule(container).listSubscriptions({
      id: input.id,
      ...(input.customer_id ? { customer_id: input.customer_id } : {}),
    })
    if (!subscription) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Subscription ${input.id} was not found.`)
    }
    return new StepResponse(subscription)
  }
)

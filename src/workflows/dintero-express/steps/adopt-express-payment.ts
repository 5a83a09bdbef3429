import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer, WebhookActionResult } from "@medusajs/framework/types"
import { adoptExpressPayment, type ExpressAdoption } from "../adopt-express-payment"

/**
 * The express cart takes what the shopper chose in Dintero, or the payment is refused and voided
 * (adopt-express-payment.ts). A payment that is not an express one passes through unchanged. Medusa's cart
 * workflows it runs are run on their own, not nested, so each takes the cart lock.
 */
export const adoptExpressPaymentStep = createStep(
  "adopt-dintero-express-payment",
  async (result: WebhookActionResult, { container }) =>
    new StepResponse<ExpressAdoption>(await adoptExpressPayment(container as MedusaContainer, result))
)

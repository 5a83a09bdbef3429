import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { authorizeCardVerification, type CartToComplete } from "../authorize-card-verification"

/** What authorizeCardVerification reads: a subset of core-flows cart/utils/fields completeCartFields. */
const CART_FIELDS = [
  "id",
  "total",
  "credit_line_total",
  "completed_at",
  "metadata",
  "customer.id",
  "customer.has_account",
  "items.metadata",
  "payment_collection.payment_sessions.id",
  "payment_collection.payment_sessions.provider_id",
  "payment_collection.payment_sessions.status",
  "payment_collection.payment_sessions.data",
]

/**
 * Reads the cart again under its lock (the workflow holds it) and authorizes its card verification when it
 * has nothing to pay and starts a subscription; refuses when the card is missing, unconfirmed or not to be
 * used. Nothing to undo on a later failure: a saved card with a Payment of 0 reserves nothing, and the next
 * completion finds it authorized (the payment module answers the existing Payment).
 */
export const authorizeCardVerificationStep = createStep(
  "authorize-dintero-card-verification",
  async (input: { cart_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: input.cart_id } })
    const cart = data[0] as unknown as CartToComplete | undefined
    if (cart) {
      // A cart that does not exist is Medusa's to refuse (its own "not found"), as before the plugin.
      await authorizeCardVerification(container, cart)
    }
    return new StepResponse(undefined)
  }
)

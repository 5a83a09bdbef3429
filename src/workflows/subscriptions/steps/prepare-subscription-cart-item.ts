import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { trialUnitPrice } from "../order-plans"
import { priceVariants } from "../variant-prices"

export type SubscriptionCartItemInput = { cart_id: string; variant_id: string; quantity: number }

export type SubscriptionCartItem = {
  variant_id: string
  quantity: number
  metadata: { subscription: { interval: string; interval_count: number; trial_days?: number } }
  unit_price?: number
  is_tax_inclusive?: boolean
}

/**
 * The cart line for a variant's merchant plan (its or its product's `metadata.subscription`). A trial line
 * carries the merchant's trial price as Medusa's custom unit price, taxed the way the variant's own price
 * is; order placement checks that the order charged exactly that price before it starts a trial.
 */
export const prepareSubscriptionCartItemStep = createStep(
  "prepare-subscription-cart-item",
  async (input: SubscriptionCartItemInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "cart", fields: ["id", "region_id", "currency_code", "completed_at"], filters: { id: input.cart_id } })
    const cart = data[0] as { id: string; region_id: string; currency_code: string; completed_at?: string | null } | undefined
    if (!cart) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${input.cart_id} was not found.`)
    }
    const priced = (await priceVariants(container, { variant_ids: [input.variant_id], region_id: cart.region_id, currency_code: cart.currency_code })).get(
      input.variant_id
    )
    if (!priced) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Variant ${input.variant_id} was not found.`)
    }
    const plan = priced.plan
    if (!plan) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `${priced.title} is not sold as a subscription (no metadata.subscription on the variant or product).`)
    }
    const item: SubscriptionCartItem = {
      variant_id: input.variant_id,
      quantity: input.quantity,
      metadata: {
        subscription: { interval: plan.interval, interval_count: plan.interval_count, ...(plan.trial_days ? { trial_days: plan.trial_days } : {}) },
      },
    }
    if (plan.trial_days) {
      const price = trialUnitPrice(plan, cart.currency_code)
      if (price === null) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${priced.title} has no trial price in ${cart.currency_code.toUpperCase()}.`)
      }
      item.unit_price = price
      item.is_tax_inclusive = priced.tax_inclusive
    }
    return new StepResponse(item)
  }
)

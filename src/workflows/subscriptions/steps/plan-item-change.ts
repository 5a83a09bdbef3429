import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SubscriptionLine } from "../../../modules/subscription"
import { periodAmount } from "../../../modules/subscription/lines"
import { subscriptionModule } from "../helpers"
import { priceVariants, pricedLine } from "../variant-prices"

export type ItemChangeInput = {
  id: string
  /** The logged-in customer: another customer's subscription is not found. */
  customer_id?: string
  /** The item lines wanted from the next period on: variants and quantities only, never prices. */
  items: Array<{ variant_id: string; quantity: number }>
}

export type ItemChange = {
  subscription_id: string
  /** Start of the first period billed with the new lines. */
  applies_from: string
  /** null when the choice equals the current lines (a pending change is dropped). */
  pending_items: SubscriptionLine[] | null
  amount: number
}

/** Dintero amounts are 32-bit integers of minor units. */
const MAX_PERIOD_AMOUNT = 2_000_000_000

/**
 * Checks the customer's choice against what the merchant allows and prices it with Medusa:
 * - the subscription renews (trialing, active or paused); a past_due one must be paid first;
 * - each variant is one the subscription bills now, or one its product's merchant plan lists in
 *   `allowed_variant_ids`;
 * - each quantity is at most the product's `max_quantity` (or the option `maxItemQuantity`);
 * - prices are Medusa's calculated prices for the subscription's region and currency, with the VAT of its
 *   shipping country. Shipping lines stay as they are.
 */
export const planItemChangeStep = createStep(
  "plan-subscription-item-change",
  async (input: { subscription: Record<string, any>; input: ItemChangeInput }, { container }) => {
    const { subscription } = input
    const service = subscriptionModule(container)
    if (!["trialing", "active", "paused"].includes(subscription.status)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Subscription ${subscription.id} is ${subscription.status}: only trialing, active or paused subscriptions can change their items.`
      )
    }
    const wanted = input.input.items
    if (new Set(wanted.map((item) => item.variant_id)).size !== wanted.length) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Each variant may appear once; give its total quantity.")
    }
    const current = (subscription.items ?? []) as SubscriptionLine[]
    const currentVariants = current.filter((line) => line.type !== "shipping" && line.variant_id).map((line) => line.variant_id!)
    const priced = await priceVariants(container, {
      variant_ids: [...currentVariants, ...wanted.map((item) => item.variant_id)],
      region_id: subscription.region_id,
      currency_code: subscription.currency_code,
      country_code: subscription.shipping_address?.country_code ?? subscription.billing_address?.country_code ?? null,
    })
    const allowed = new Set(currentVariants)
    for (const variantId of currentVariants) {
      priced.get(variantId)?.plan?.allowed_variant_ids?.forEach((id) => allowed.add(id))
    }
    const maxQuantity = service.getOptions().maxItemQuantity
    const lines = wanted.map((item) => {
      const variant = priced.get(item.variant_id)
      if (!variant || !allowed.has(item.variant_id)) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Variant ${item.variant_id} cannot be chosen for this subscription.`)
      }
      const max = variant.plan?.max_quantity ?? maxQuantity
      if (item.quantity > max) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `At most ${max} of ${variant.title} can be chosen.`)
      }
      const existing = current.find((line) => line.type !== "shipping" && line.variant_id === item.variant_id)
      return pricedLine(variant, item.quantity, existing?.line_id ?? `variant_${item.variant_id}`)
    })
    const items = [...lines, ...current.filter((line) => line.type === "shipping")]
    const amount = periodAmount(items)
    if (amount > MAX_PERIOD_AMOUNT) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "A period may bill at most 2 000 000 000 minor units.")
    }
    const appliesFrom = new Date(subscription.current_period_end)
    const [attempt] = await service.listSubscriptionCharges(
      { subscription_id: subscription.id, kind: "renewal", period_start: appliesFrom },
      { select: ["id", "status"], take: 1 }
    )
    if (attempt) {
      // That period's charge was already attempted with the current lines; every attempt of a period bills the same.
      // NOT_ALLOWED (400): Medusa answers every CONFLICT with a generic text, and this one must say why.
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `The period starting ${appliesFrom.toISOString().slice(0, 10)} is already being charged (attempt ${attempt.status}); change the items after it renews.`
      )
    }
    const unchanged = JSON.stringify(items) === JSON.stringify(current)
    return new StepResponse<ItemChange>({
      subscription_id: subscription.id,
      applies_from: appliesFrom.toISOString(),
      pending_items: unchanged ? null : items,
      amount,
    })
  }
)

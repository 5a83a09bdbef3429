import { MathBN } from "@medusajs/framework/utils"
import { z } from "zod"
import { toMinorUnits } from "../../lib/dintero"
import type { SubscriptionLine } from "../../modules/subscription"
import { MAX_TRIAL_DAYS } from "../../modules/subscription/periods"

/** `metadata.subscription` on the cart (the whole cart) or on line items (those items). */
export const planSchema = z.object({
  interval: z.enum(["day", "week", "month", "year"]),
  interval_count: z.coerce.number().int().min(1).max(365).default(1),
})
export type Plan = z.infer<typeof planSchema>

/**
 * What the merchant sets in `metadata.subscription` of a product variant (or of its product, for all its
 * variants; the variant's wins). Only these terms are trusted: a cart's or line's metadata is storefront
 * input and never grants a trial, a price or a change.
 */
export const merchantPlanSchema = planSchema.extend({
  /** A trial: the first charge of the plan is this many days after the order. */
  trial_days: z.coerce.number().int().min(1).max(MAX_TRIAL_DAYS).optional(),
  /** The trial's price per currency (code → amount in the currency's main unit, as Medusa prices); none: free. */
  trial_prices: z.record(z.string(), z.coerce.number().min(0)).optional(),
  /** Variants a subscriber may switch this product's line to (the variant itself is always allowed). */
  allowed_variant_ids: z.array(z.string().min(1)).max(200).optional(),
  /** Most units of this product a subscriber may choose (default: option `maxItemQuantity`). */
  max_quantity: z.coerce.number().int().min(1).max(10_000).optional(),
})
export type MerchantPlan = z.infer<typeof merchantPlanSchema>

/** The merchant's plan of a variant: its own `metadata.subscription`, else its product's; null when none is valid. */
export function merchantPlan(variant: { metadata?: any; product?: { metadata?: any } | null } | null | undefined): MerchantPlan | null {
  for (const source of [variant?.metadata?.subscription, variant?.product?.metadata?.subscription]) {
    if (source !== undefined && source !== null) {
      const parsed = merchantPlanSchema.safeParse(source)
      return parsed.success ? parsed.data : null
    }
  }
  return null
}

/**
 * The trial's price of one unit in `currency`, in the currency's main unit (Medusa's price format): 0 for a
 * free trial; null when the plan prices its trial but not in this currency (the trial is not offered there).
 */
export function trialUnitPrice(plan: MerchantPlan, currency: string): number | null {
  if (!plan.trial_days) {
    return null
  }
  if (!plan.trial_prices) {
    return 0
  }
  const price = Object.entries(plan.trial_prices).find(([code]) => code.toLowerCase() === currency.toLowerCase())?.[1]
  return price ?? null
}

export type PlanGroup = { plan: Plan; items: any[]; withShipping: boolean }

/**
 * The subscriptions an order asks for: the cart's plan covers all items and the shipping; item plans group
 * their items, with shipping only when every item shares one plan.
 */
export function planGroups(order: Record<string, any>): PlanGroup[] {
  const items = (order.items ?? []).filter(Boolean)
  const cartPlan = planSchema.safeParse(order.metadata?.subscription)
  if (cartPlan.success) {
    return [{ plan: cartPlan.data, items, withShipping: true }]
  }
  const groups = new Map<string, PlanGroup>()
  for (const item of items) {
    const plan = planSchema.safeParse(item.metadata?.subscription)
    if (plan.success) {
      // Lines asking for a trial form their own subscription: its first charge is at the trial's end.
      const key = `${plan.data.interval}:${plan.data.interval_count}:${Number(item.metadata?.subscription?.trial_days) || 0}`
      const group = groups.get(key) ?? { plan: plan.data, items: [], withShipping: false }
      group.items.push(item)
      groups.set(key, group)
    }
  }
  const all = [...groups.values()]
  if (all.length === 1 && all[0].items.length === items.length) {
    all[0].withShipping = true
  }
  return all
}

function vatRate(taxLines: Array<{ rate?: number | null } | null> | undefined): number {
  return Math.round((taxLines ?? []).reduce((sum, line) => sum + Number(line?.rate ?? 0), 0) * 100) / 100
}

/** The unit price with VAT, in minor units (Medusa's prices may be quoted without it). */
function withVat(amount: unknown, taxInclusive: boolean, vat: number, currency: string): number {
  const price = MathBN.convert(amount as any)
  const gross = taxInclusive ? price : MathBN.mult(price, MathBN.add(1, MathBN.div(vat, 100)))
  return toMinorUnits(gross.toFixed(), currency)
}

/** An order item as a subscription line: its list price with VAT, in minor units. */
export function itemLine(item: any, currency: string): SubscriptionLine {
  const vat = vatRate(item.tax_lines)
  return {
    line_id: item.id,
    title: [item.product_title ?? item.title, item.variant_title].filter(Boolean).join(" – ") || item.title,
    quantity: Number(item.quantity ?? item.detail?.quantity),
    unit_amount: withVat(item.unit_price, Boolean(item.is_tax_inclusive), vat, currency),
    vat,
    type: "item",
    variant_id: item.variant_id ?? null,
    product_id: item.product_id ?? null,
  }
}

export function shippingLine(method: any, currency: string): SubscriptionLine {
  const vat = vatRate(method.tax_lines)
  return {
    line_id: method.id,
    title: method.name,
    quantity: 1,
    unit_amount: withVat(method.amount, Boolean(method.is_tax_inclusive), vat, currency),
    vat,
    type: "shipping",
    shipping_option_id: method.shipping_option_id ?? null,
  }
}

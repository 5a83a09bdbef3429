import { MathBN } from "@medusajs/framework/utils"
import { z } from "zod"
import { toMinorUnits } from "../../lib/dintero"
import type { SubscriptionLine } from "../../modules/subscription"

/** `metadata.subscription` on the cart (the whole cart) or on line items (those items). */
export const planSchema = z.object({
  interval: z.enum(["day", "week", "month", "year"]),
  interval_count: z.coerce.number().int().min(1).max(365).default(1),
})
export type Plan = z.infer<typeof planSchema>

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
      const key = `${plan.data.interval}:${plan.data.interval_count}`
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

import { toMinorUnits, type OrderItem } from "../../lib/dintero"

/** What the provider knows about a cart, amounts as decimal strings in major units (Medusa's unit). */
export type CartSnapshot = {
  id: string
  /** The cart names a subscription plan (cart or line-item `metadata.subscription`). */
  startsSubscription: boolean
  items: Array<{
    id: string
    title: string
    sku?: string | null
    quantity: number
    total: string
    taxTotal: string
    taxRatePercent: number
    thumbnail?: string | null
  }>
  shippingMethods: Array<{ id: string; name: string; total: string; taxTotal: string; taxRatePercent: number }>
}

/**
 * Dintero's order lines for a payment of `amountMinor`. Item `amount` is the line total including VAT and
 * discounts (reference §7), so the lines must add up to exactly the order amount. Medusa rounds each line
 * on its own, so a difference of a few minor units goes into a rounding line, as Dintero's WooCommerce
 * plugin does. Anything larger (gift cards, store credit, a collection that is not the whole cart) makes
 * the lines meaningless for this payment, and one summary line carries the amount instead.
 */
export function buildOrderLines(cart: CartSnapshot | undefined, amountMinor: number, currency: string): OrderItem[] {
  if (!cart || cart.items.length === 0) {
    return [summaryLine(amountMinor, cart?.id)]
  }
  const lines: OrderItem[] = [
    ...cart.items.map((item) => ({
      id: item.sku || item.id,
      line_id: item.id,
      description: item.title,
      quantity: item.quantity,
      amount: toMinorUnits(item.total, currency),
      vat_amount: toMinorUnits(item.taxTotal, currency),
      vat: item.taxRatePercent,
      type: "physical" as const,
      ...(item.thumbnail && /^https:\/\//.test(item.thumbnail) ? { thumbnail_url: item.thumbnail } : {}),
    })),
    ...cart.shippingMethods.map((method) => ({
      id: method.id,
      line_id: method.id,
      description: method.name,
      quantity: 1,
      amount: toMinorUnits(method.total, currency),
      vat_amount: toMinorUnits(method.taxTotal, currency),
      vat: method.taxRatePercent,
      type: "shipping" as const,
    })),
  ]
  const difference = amountMinor - lines.reduce((sum, line) => sum + line.amount, 0)
  if (difference === 0) {
    return lines
  }
  if (Math.abs(difference) <= lines.length) {
    return [...lines, { id: "rounding", line_id: "rounding", description: "Rounding", quantity: 1, amount: difference, vat_amount: 0, vat: 0, type: "surcharge" }]
  }
  return [summaryLine(amountMinor, cart.id)]
}

export function sumVat(lines: OrderItem[]): number {
  return lines.reduce((sum, line) => sum + (line.vat_amount ?? 0), 0)
}

function summaryLine(amountMinor: number, cartId?: string): OrderItem {
  return {
    id: "order",
    line_id: "order",
    description: cartId ? `Order for cart ${cartId}` : "Order",
    quantity: 1,
    amount: amountMinor,
  }
}

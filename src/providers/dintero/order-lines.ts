import { toMinorUnits, type DiscountItem, type OrderItem } from "../../lib/dintero"
import { splitByLargestRemainder } from "./line-allocation"

/** A promotion's adjustment on a line, as Medusa holds it (amount in major units, the weight of its share). */
export type LineDiscount = { code?: string | null; promotionId?: string | null; description?: string | null; amount: string }

/** What the provider knows about a cart, amounts as decimal strings in major units (Medusa's unit). */
export type CartSnapshot = {
  id: string
  /** The cart names a subscription plan (cart or line-item `metadata.subscription`). */
  startsSubscription: boolean
  currencyCode?: string
  /** The cart's total (major units, Medusa's computation). */
  total?: string
  /** The shipping address's country, once there is one. */
  countryCode?: string
  items: Array<{
    id: string
    title: string
    sku?: string | null
    quantity: number
    total: string
    taxTotal: string
    taxRatePercent: number
    thumbnail?: string | null
    /** The line's total before its discounts (Medusa's `original_total`); absent when unknown. */
    originalTotal?: string
    discounts?: LineDiscount[]
  }>
  shippingMethods: Array<{
    id: string
    /** The Medusa shipping option the method was made from (express: Dintero's shipping option id). */
    shippingOptionId?: string
    name: string
    total: string
    taxTotal: string
    taxRatePercent: number
    originalTotal?: string
    discounts?: LineDiscount[]
  }>
  /** Medusa's credit lines (store credit, gift cards): money the cart is already paid with. */
  creditLines?: Array<{ id: string; amount: string; reference?: string | null; referenceId?: string | null }>
}

/**
 * Dintero's order lines for a payment of `amountMinor`. Item `amount` is the line total including VAT and
 * discounts (payments spec OrderItem), so the lines must add up to exactly the order amount:
 * - a discounted line keeps its amount after the discount and says what was taken off in `discount_lines`
 *   (spec OrderDiscountItem / DiscountItem), one per promotion;
 * - store credit and gift cards are lines of `type: "gift_card"` with a negative amount, as the spec
 *   describes them ("usage of a gift card, where the amount is usually a negative number") and Dintero's
 *   WooCommerce plugin sends them (class-dintero-checkout-cart.php, process_coupons). `order.gift_cards` is
 *   for Dintero Wallets cards only (spec Giftcard, `type: "dintero.wallets"`), not for a shop's own credit.
 * Medusa rounds each line on its own, so a difference of a few minor units goes into a rounding line, as
 * Dintero's WooCommerce plugin does. Anything larger (a collection that is not the whole cart) makes the
 * lines meaningless for this payment, and one summary line carries the amount instead.
 */
export function buildOrderLines(cart: CartSnapshot | undefined, amountMinor: number, currency: string): OrderItem[] {
  if (!cart || cart.items.length === 0) {
    return [summaryLine(amountMinor, cart?.id)]
  }
  const lines: OrderItem[] = [
    ...cart.items.map((item) => {
      const amount = toMinorUnits(item.total, currency)
      const discounts = discountLines(item, amount, currency)
      return {
        id: item.sku || item.id,
        line_id: item.id,
        description: item.title,
        quantity: item.quantity,
        amount,
        vat_amount: toMinorUnits(item.taxTotal, currency),
        vat: item.taxRatePercent,
        type: "physical" as const,
        ...(item.thumbnail && /^https:\/\//.test(item.thumbnail) ? { thumbnail_url: item.thumbnail } : {}),
        ...(discounts.length ? { discount_lines: discounts } : {}),
      }
    }),
    ...cart.shippingMethods.map((method) => {
      const amount = toMinorUnits(method.total, currency)
      const discounts = discountLines(method, amount, currency)
      return {
        id: method.id,
        line_id: method.id,
        description: method.name,
        quantity: 1,
        amount,
        vat_amount: toMinorUnits(method.taxTotal, currency),
        vat: method.taxRatePercent,
        type: "shipping" as const,
        ...(discounts.length ? { discount_lines: discounts } : {}),
      }
    }),
    ...(cart.creditLines ?? [])
      .map((credit) => ({ credit, amount: toMinorUnits(credit.amount, currency) }))
      .filter(({ amount }) => amount > 0)
      .map(({ credit, amount }) => ({
        id: credit.referenceId || credit.id,
        line_id: credit.id,
        description: creditDescription(credit.reference),
        quantity: 1,
        amount: -amount,
        vat_amount: 0,
        vat: 0,
        type: "gift_card" as const,
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

/**
 * What was taken off a line, one entry per promotion: the line's original total minus its total (both with
 * VAT, as `amount` is), shared over its adjustments by their amounts so the entries add up to it exactly.
 */
function discountLines(
  line: { originalTotal?: string; discounts?: LineDiscount[] },
  amountMinor: number,
  currency: string
): DiscountItem[] {
  const adjustments = line.discounts ?? []
  if (!adjustments.length || line.originalTotal === undefined) {
    return []
  }
  const taken = toMinorUnits(line.originalTotal, currency) - amountMinor
  if (taken <= 0) {
    return []
  }
  const weights = adjustments.map((adjustment) => Math.max(0, toMinorUnits(adjustment.amount, currency)))
  const shares = weights.some((weight) => weight > 0) ? splitByLargestRemainder(taken, weights) : [taken, ...weights.slice(1).map(() => 0)]
  return adjustments
    .map((adjustment, i) => ({
      amount: shares[i],
      // A promotion computed by Medusa, not by Dintero's discount engine.
      discount_type: "external" as const,
      ...(adjustment.promotionId || adjustment.code ? { discount_id: (adjustment.promotionId || adjustment.code)! } : {}),
      ...(adjustment.code || adjustment.description ? { description: (adjustment.code || adjustment.description)! } : {}),
    }))
    .filter((discount) => discount.amount > 0)
}

function creditDescription(reference: string | null | undefined): string {
  const kind = reference && /gift/i.test(reference) ? "Gift card" : "Store credit"
  return reference && !/^(gift[-_ ]?card|store[-_ ]?credit)$/i.test(reference) ? `${kind} (${reference})` : kind
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

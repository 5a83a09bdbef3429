import { container } from "@medusajs/framework"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import type { CartSnapshot } from "./order-lines"

type Logger = { warn(message: string): void }

// Line totals are computed by the cart module from prices, tax lines and adjustments: asking for the cart's
// `total` is what makes it compute them (cart module shouldIncludeTotals), and it then loads those relations
// whole, whatever else is asked for. So only the cart's own fields are named beside them.
const CART_FIELDS = [
  "id",
  "total",
  "currency_code",
  "shipping_address.country_code",
  "region.countries.iso_2",
  "metadata",
  "items.*",
  "items.tax_lines.*",
  "items.adjustments.*",
  "items.total",
  "items.original_total",
  "items.tax_total",
  "shipping_methods.*",
  "shipping_methods.tax_lines.*",
  "shipping_methods.adjustments.*",
  "shipping_methods.total",
  "shipping_methods.original_total",
  "shipping_methods.tax_total",
  // Store credit and gift cards (Medusa's cart credit lines, core-flows create-cart-credit-lines).
  "credit_lines.*",
]

/**
 * The cart a payment session pays for, read on the server so order lines never come from the storefront.
 * The payment module cannot see carts (modules are isolated), so this goes through Medusa's Query on the
 * application container, in one query: the session's payment collection and, through Medusa's
 * cart–payment-collection link, its cart. Returns undefined for collections without a cart (order edits,
 * claims).
 */
export async function loadCartSnapshot(paymentSessionId: string, logger?: Logger): Promise<CartSnapshot | undefined> {
  try {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: sessions } = await query.graph({
      entity: "payment_session",
      fields: CART_FIELDS.map((field) => `payment_collection.cart.${field}`),
      filters: { id: paymentSessionId },
    })
    const cart = (sessions[0] as any)?.payment_collection?.cart
    return cart ? toCartSnapshot(cart) : undefined
  } catch (error) {
    // Order lines are a nicety for the payer and Dintero's reports; the payment itself must not fail on them.
    logger?.warn(`Dintero: could not read the cart of payment session ${paymentSessionId}: ${(error as Error).message}`)
    return undefined
  }
}

/**
 * A cart read by its id, for what has the cart but no payment session of it (an express checkout answers
 * Dintero while Medusa has dropped the cart's payment session on a total change).
 */
export async function loadCartSnapshotOfCart(cartId: string, logger?: Logger): Promise<CartSnapshot | undefined> {
  try {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: carts } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
    return carts[0] ? toCartSnapshot(carts[0]) : undefined
  } catch (error) {
    logger?.warn(`Dintero: could not read cart ${cartId}: ${(error as Error).message}`)
    return undefined
  }
}

function toCartSnapshot(cart: any): CartSnapshot {
  return {
    id: cart.id,
    startsSubscription: startsSubscription(cart),
    items: (cart.items ?? []).filter(Boolean).map((item: any) => ({
      id: item.id,
      title: [item.product_title ?? item.title, item.variant_title].filter(Boolean).join(" – ") || item.title,
      sku: item.variant_sku,
      quantity: Number(item.quantity),
      total: decimal(item.total),
      taxTotal: decimal(item.tax_total),
      taxRatePercent: taxRate(item.tax_lines),
      thumbnail: item.thumbnail,
      originalTotal: decimal(item.original_total),
      discounts: lineDiscounts(item.adjustments),
    })),
    currencyCode: cart.currency_code,
    total: decimal(cart.total),
    // Before the shopper gives an address (express), a region of one country still says which VAT applies.
    countryCode: cart.shipping_address?.country_code ?? (cart.region?.countries?.length === 1 ? cart.region.countries[0]?.iso_2 : undefined) ?? undefined,
    shippingMethods: (cart.shipping_methods ?? []).filter(Boolean).map((method: any) => ({
      id: method.id,
      shippingOptionId: method.shipping_option_id ?? undefined,
      name: method.name,
      total: decimal(method.total),
      taxTotal: decimal(method.tax_total),
      taxRatePercent: taxRate(method.tax_lines),
      originalTotal: decimal(method.original_total),
      discounts: lineDiscounts(method.adjustments),
    })),
    creditLines: (cart.credit_lines ?? []).filter(Boolean).map((credit: any) => ({
      id: credit.id,
      amount: decimal(credit.amount),
      reference: credit.reference,
      referenceId: credit.reference_id,
    })),
  }
}

/** A cart asks for a subscription with a plan in its own metadata or in a line's (workflows/subscriptions/order-plans.ts). */
export function startsSubscription(cart: { metadata?: unknown; items?: Array<{ metadata?: unknown } | null> | null }): boolean {
  return Boolean((cart.metadata as any)?.subscription || (cart.items ?? []).some((item: any) => item?.metadata?.subscription))
}

function decimal(value: unknown): string {
  return MathBN.convert((value ?? 0) as any).toFixed()
}

function lineDiscounts(adjustments: Array<Record<string, any> | null> | undefined) {
  return (adjustments ?? []).filter(Boolean).map((adjustment: any) => ({
    code: adjustment.code,
    promotionId: adjustment.promotion_id,
    description: adjustment.description,
    amount: decimal(adjustment.amount),
  }))
}

function taxRate(taxLines: Array<{ rate?: number | null } | null> | undefined): number {
  const total = (taxLines ?? []).reduce((sum, line) => sum + Number(line?.rate ?? 0), 0)
  return Math.round(total * 100) / 100
}

import { container } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { LineProgress, LineUnits } from "./targeted-items"

type Logger = { warn(message: string): void }

/** An order line or a cart line, as far as telling which cart line became which order line needs. */
export type LineIdentity = { id: string; variant_id?: string | null; quantity: unknown; unit_price?: unknown; title?: string | null }

/**
 * Which cart line (the transaction line's `line_id`) each order line came from. Medusa's completeCartWorkflow
 * creates the order's lines from the cart's with new ids and keeps no reference to them
 * (core-flows cart/utils/prepare-line-item-data.js), so lines are paired by what they are: variant, quantity
 * and unit price. Lines alike in all three are interchangeable for money; they are paired in id order, so the
 * pairing is the same on every call.
 */
export function pairOrderLinesWithCartLines(orderItems: LineIdentity[], cartItems: LineIdentity[]): Map<string, string> {
  const key = (line: LineIdentity) => `${line.variant_id ?? ""}|${Number(line.quantity)}|${String(line.unit_price ?? "")}|${line.variant_id ? "" : line.title ?? ""}`
  const byKey = new Map<string, string[]>()
  for (const cartItem of [...cartItems].sort((a, b) => a.id.localeCompare(b.id))) {
    byKey.set(key(cartItem), [...(byKey.get(key(cartItem)) ?? []), cartItem.id])
  }
  const pairs = new Map<string, string>()
  for (const orderItem of [...orderItems].sort((a, b) => a.id.localeCompare(b.id))) {
    const cartIds = byKey.get(key(orderItem))
    const cartId = cartIds?.shift()
    if (cartId) {
      pairs.set(orderItem.id, cartId)
    }
  }
  return pairs
}

export type OrderProgress = { fulfilled: LineProgress; returned: LineProgress }

/**
 * What the order behind a payment collection has fulfilled and had returned, counted in the transaction's
 * lines (the cart's line ids). Read through Medusa's Query on the application container, like the cart
 * snapshot. Undefined when the collection has no order made from a cart, or anything cannot be read: the
 * caller then shares the amount over the lines as before.
 */
export async function loadOrderProgress(paymentCollectionId: string, logger?: Logger): Promise<OrderProgress | undefined> {
  try {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: links } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id"],
      filters: { payment_collection_id: paymentCollectionId },
    })
    const orderId = links[0]?.order_id
    if (!orderId) {
      return undefined
    }
    const { data: orders } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "items.*",
        "items.detail.*",
        "returns.id",
        "returns.status",
        "returns.canceled_at",
        "returns.items.item_id",
        "returns.items.received_quantity",
        "cart.items.id",
        "cart.items.title",
        "cart.items.variant_id",
        "cart.items.quantity",
        "cart.items.unit_price",
      ],
      filters: { id: orderId },
    })
    const order = orders[0] as any
    if (!order?.cart?.items?.length) {
      return undefined
    }
    const pairs = pairOrderLinesWithCartLines((order.items ?? []).filter(Boolean), order.cart.items.filter(Boolean))
    const count = (entries: Array<[string | undefined, unknown]>): LineUnits => {
      const units: LineUnits = {}
      for (const [orderItemId, quantity] of entries) {
        const lineId = orderItemId ? pairs.get(orderItemId) : undefined
        const value = Number(quantity ?? 0)
        if (lineId && value > 0) {
          units[lineId] = (units[lineId] ?? 0) + value
        }
      }
      return units
    }
    const items = (order.items ?? []).filter(Boolean)
    const returns = (order.returns ?? []).filter((ret: any) => ret && !ret.canceled_at && ret.status !== "canceled")
    return {
      fulfilled: { units: count(items.map((item: any) => [item.id, item.detail?.fulfilled_quantity ?? item.fulfilled_quantity])) },
      returned: {
        units: count(items.map((item: any) => [item.id, item.detail?.return_received_quantity ?? item.return_received_quantity])),
        groups: returns
          .map((ret: any) => count((ret.items ?? []).filter(Boolean).map((item: any) => [item.item_id, item.received_quantity])))
          .filter((units: LineUnits) => Object.keys(units).length > 0),
      },
    }
  } catch (error) {
    logger?.warn(`Dintero: could not read the order of payment collection ${paymentCollectionId}: ${(error as Error).message}`)
    return undefined
  }
}

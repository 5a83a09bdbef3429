/**
 * Checkout: `/checkout/new` starts a checkout and sends the browser to Dintero's hosted page, `/checkout/embed`
 * embeds the same checkout in the page with @dintero/checkout-web-sdk, and the return page Dintero sends the
 * payer back to completes the cart and shows the order.
 */
import { placeOrderOnReturn, startCheckout } from "../checkout"
import { embeddedDintero, esc, ok, page, storeMoney, type Rq } from "./web"

export const RETURN_PATH = "/checkout/dintero/return"

function returnUrl(rq: Rq) {
  return (cartId: string) => `${rq.config.url}${RETURN_PATH}?cart_id=${encodeURIComponent(cartId)}`
}

export async function hostedCheckout(rq: Rq) {
  const checkout = await startCheckout(rq.config.store, rq.config.seeded, { quantity: 1, returnUrl: returnUrl(rq) })
  rq.res.writeHead(302, { location: checkout.checkoutUrl }).end()
}

export async function embeddedCheckout(rq: Rq) {
  const checkout = await startCheckout(rq.config.store, rq.config.seeded, { quantity: 1, returnUrl: returnUrl(rq) })
  return page(rq, 200, "Checkout", embeddedDintero(rq.config, checkout.dinteroSessionId))
}

export async function checkoutReturned(rq: Rq) {
  const error = rq.query.get("error")
  if (error) return notPaid(rq, error)
  const cartId = rq.query.get("cart_id")
  if (!cartId) return page(rq, 400, "Unknown checkout", `<p>The return link has no cart id.</p>${AGAIN}`)
  const order = await placeOrderOnReturn(rq.config.store, cartId)
  return orderPlaced(rq, order.id)
}

const AGAIN = `<p><a href="/cart">Your cart</a> · <a href="/checkout/new">Start another checkout</a> · <a href="/account">Your account</a></p>`

/** Dintero sent the payer back without a payment (`error=cancelled|…`). */
export function notPaid(rq: Rq, error: string) {
  return page(rq, 200, "Payment not completed", `<p>Dintero reports: <b>${esc(error)}</b>. Nothing was charged.</p>${AGAIN}`)
}

const ORDER_FIELDS = "id,display_id,currency_code,total,item_total,shipping_total,discount_total,*items,*items.adjustments,*shipping_methods,*shipping_address"

/** The confirmation: the order as Medusa placed it (lines, discount, shipping method and address, total). */
export async function orderPlaced(rq: Rq, orderId: string) {
  const { order } = await ok(rq.config.store.get(`/store/orders/${encodeURIComponent(orderId)}?fields=${encodeURIComponent(ORDER_FIELDS)}`))
  const currency = order.currency_code
  const row = (label: string, value: string) => `<tr><th>${esc(label)}</th><td>${esc(value)}</td></tr>`
  const codes = [...new Set((order.items as any[]).flatMap((item) => (item.adjustments ?? []).map((a: any) => a.code)).filter(Boolean))]
  const address = order.shipping_address
  const orderLink = `${rq.config.adminUrl}/orders/${encodeURIComponent(order.id)}`
  return page(
    rq,
    200,
    `Takk! Order #${order.display_id} is placed`,
    `<p>Dintero transaction <code>${esc(rq.query.get("transaction_id") ?? "")}</code> is authorized.</p>` +
      `<table data-testid="order-summary"><tbody>` +
      (order.items as any[]).map((item) => row(`${item.quantity} × ${item.product_title ?? item.title}`, storeMoney(item.original_total, currency))).join("") +
      (Number(order.discount_total) ? row(`Discount${codes.length ? ` (${codes.join(", ")})` : ""}`, `−${storeMoney(order.discount_total, currency)}`) : "") +
      (order.shipping_methods as any[]).map((method) => row(`Shipping: ${method.name}`, storeMoney(method.total, currency))).join("") +
      row("Total", storeMoney(order.total, currency)) +
      (address
        ? row("Ship to", [`${address.first_name ?? ""} ${address.last_name ?? ""}`.trim(), address.address_1, `${address.postal_code ?? ""} ${address.city ?? ""}`.trim(), String(address.country_code ?? "").toUpperCase()].filter(Boolean).join(", "))
        : "") +
      `</tbody></table>` +
      `<p>Capture or refund it in the admin: <a href="${esc(orderLink)}">${esc(orderLink)}</a></p>${AGAIN}`
  )
}

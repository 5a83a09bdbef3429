/**
 * Checkout: `/checkout/new` starts a checkout and sends the browser to Dintero's hosted page, `/checkout/embed`
 * embeds the same checkout in the page with @dintero/checkout-web-sdk, and the return page Dintero sends the
 * payer back to completes the cart and shows the order.
 */
import { placeOrderOnReturn, startCheckout } from "../checkout"
import { embeddedDintero, esc, page, type Rq } from "./web"

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
  const again = `<p><a href="/checkout/new">Start another checkout</a> · <a href="/account">Your account</a></p>`
  const error = rq.query.get("error")
  if (error) {
    return page(rq, 200, "Payment not completed", `<p>Dintero reports: <b>${esc(error)}</b>. Nothing was charged.</p>${again}`)
  }
  const cartId = rq.query.get("cart_id")
  if (!cartId) return page(rq, 400, "Unknown checkout", `<p>The return link has no cart id.</p>${again}`)
  const order = await placeOrderOnReturn(rq.config.store, cartId)
  const orderLink = `${rq.config.adminUrl}/orders/${encodeURIComponent(order.id)}`
  return page(
    rq,
    200,
    `Takk! Order #${order.display_id} is placed`,
    `<p>Dintero transaction <code>${esc(rq.query.get("transaction_id") ?? "")}</code> is authorized.</p>` +
      `<p>Capture or refund it in the admin: <a href="${esc(orderLink)}">${esc(orderLink)}</a></p>${again}`
  )
}

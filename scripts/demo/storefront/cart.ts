/**
 * The cart page with Dintero Checkout Express (docs/express.md): the shopper adds products and changes quantities,
 * then "Express checkout" opens Dintero's checkout in the page (@dintero/checkout-web-sdk) with no address or
 * shipping method asked here: address, shipping option and discount code are given inside Dintero's checkout, and
 * the Medusa cart follows through the plugin's callbacks. A quantity changed while the checkout is open goes
 * through the session lock: lockSession() → the cart change and the plugin's sync (its PUT releases the lock) →
 * refreshSession(), which shows the new total. Dintero sends the payer back to /cart/express/return, which
 * completes the cart with the plugin's express route and shows the order.
 */
import { askAgainWhileConflict } from "../../lib/store-checkout"
import { DINTERO_PROVIDER_ID } from "../dintero"
import { change } from "./account"
import { notPaid, orderPlaced } from "./checkout"
import { clearCookie, cookie, embeddedDintero, esc, json, ok, page, postButton, redirect, StoreApiError, storeMoney, type Rq } from "./web"

const CART = "sf_cart"
export const CART_PATH = "/cart"
export const EXPRESS_RETURN_PATH = "/cart/express/return"
const CART_FIELDS = "*items,+total,+item_total,+shipping_total,+discount_total,*payment_collection.payment_sessions"

/** The shopper's open cart (its id in an httpOnly cookie), or undefined when there is none any more. */
async function currentCart(rq: Rq): Promise<any | undefined> {
  const cartId = rq.cookies[CART]
  if (!cartId) return undefined
  const response = rq.config.store.get(`/store/carts/${encodeURIComponent(cartId)}?fields=${encodeURIComponent(CART_FIELDS)}`)
  const { status, data } = await response
  if (status === 404 || (status === 200 && data.cart.completed_at)) {
    rq.setCookies.push(clearCookie(CART))
    return undefined
  }
  return (await ok(response)).cart
}

/** The Dintero express session the cart's payment session stands for (docs/express.md: read it from the cart). */
function expressSessionId(cart: any): string | undefined {
  const session = (cart.payment_collection?.payment_sessions ?? []).find(
    (s: any) => s.provider_id === DINTERO_PROVIDER_ID && s.data?.dintero?.express === true && s.data?.dintero?.session_id
  )
  return session?.data.dintero.session_id
}

export async function cartPage(rq: Rq) {
  const cart = await currentCart(rq)
  const { products } = await ok(
    rq.config.store.get(`/store/products?region_id=${encodeURIComponent(rq.config.seeded.regionId)}&fields=${encodeURIComponent("id,title,*variants.calculated_price")}`)
  )
  const shop = (products as any[])
    .flatMap((product) => (product.variants ?? []).map((variant: any) => ({ product, variant })))
    .map(({ product, variant }) => {
      const price = variant.calculated_price
      return `<li>${esc(product.title)}${price ? ` · ${esc(storeMoney(price.calculated_amount, price.currency_code))}` : ""} ` +
        `${postButton("/cart/add", `Add ${product.title} to cart`, { variant_id: variant.id })}</li>`
    })
    .join("")
  const catalog = `<h2>Products</h2><ul>${shop}</ul>`
  if (!cart?.items?.length) return page(rq, 200, "Your cart", `<p>Your cart is empty.</p>${catalog}`)

  const sid = expressSessionId(cart)
  const currency = cart.currency_code
  const lines = (cart.items as any[])
    .map(
      (item) =>
        `<tr><td>${esc(item.product_title ?? item.title)}</td><td>` +
        `<form class="inline" method="post" action="/cart/lines/${encodeURIComponent(item.id)}" data-line-quantity aria-label="Quantity of ${esc(item.product_title ?? item.title)}">` +
        `<input type="hidden" name="session_id" value="${esc(sid ?? "")}">` +
        `<label style="display:inline">Quantity <input name="quantity" type="number" min="1" max="99" value="${esc(item.quantity)}" style="width:4rem"></label>` +
        `<button type="submit">Update</button></form></td><td data-line-total="${esc(item.id)}">${esc(storeMoney(item.total, currency))}</td></tr>`
    )
    .join("")
  const table =
    `<table><thead><tr><th>Product</th><th>Quantity</th><th>Amount</th></tr></thead><tbody>${lines}` +
    `<tr><th colspan="2">Total</th><td id="cart-total" data-testid="cart-total">${esc(storeMoney(cart.total, currency))}</td></tr></tbody></table>`
  const express = sid
    ? `<h2>Express checkout</h2><p>Give your address, pick the delivery and enter a discount code in Dintero's checkout below.</p>` +
      `<p id="express-status" role="status" aria-live="polite"></p>` +
      embeddedDintero(rq.config, sid, { withCheckout: QUANTITY_THROUGH_LOCK })
    : `<h2>Express checkout</h2><p>No address needed here: Dintero asks for it, with the delivery and any discount code.</p>` +
      postButton("/cart/express", "Express checkout")
  return page(rq, 200, "Your cart", table + express + catalog)
}

/**
 * The page's script with the SDK's `checkout`: a quantity form changes the cart under the payer's lock, and the
 * checkout then shows the new total (Dintero docs, embedded express: lock, update the session, refresh).
 */
const QUANTITY_THROUGH_LOCK = `
  var status = document.getElementById("express-status")
  function say(text, alert) { status.textContent = text; status.setAttribute("role", alert ? "alert" : "status") }
  document.querySelectorAll("form[data-line-quantity]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault()
      var body = new URLSearchParams(new FormData(form))
      say("Updating your order…")
      checkout.lockSession()
        .then(function () { return fetch(form.action.replace("/cart/lines/", "/cart/express/lines/"), { method: "POST", body: body }) })
        .then(function (response) { return response.json() })
        .then(function (answer) {
          if (answer.total) document.getElementById("cart-total").textContent = answer.total
          Object.keys(answer.lines || {}).forEach(function (id) {
            var cell = document.querySelector('[data-line-total="' + CSS.escape(id) + '"]')
            if (cell) cell.textContent = answer.lines[id]
          })
          return checkout.refreshSession().then(function (updated) {
            var order = updated.session.order
            if (answer.error) return say(answer.error, true)
            say("Dintero shows the new total: " + (order.amount / 100).toFixed(2) + " " + order.currency)
          })
        })
        .catch(function (error) { say("The cart could not be updated: " + error, true) })
    })
  })`

export async function addToCart(rq: Rq) {
  const { store, seeded } = rq.config
  const item = { variant_id: rq.form.get("variant_id") ?? "", quantity: 1 }
  return change(rq, CART_PATH, async () => {
    const cart = await currentCart(rq)
    if (cart) {
      await ok(store.post(`/store/carts/${encodeURIComponent(cart.id)}/line-items`, item))
    } else {
      const created = await ok(store.post("/store/carts", { region_id: seeded.regionId, items: [item] }))
      rq.setCookies.push(cookie(CART, created.cart.id))
    }
    return "Added to your cart."
  })
}

function setQuantity(rq: Rq, cartId: string) {
  const quantity = Number(rq.form.get("quantity"))
  return ok(rq.config.store.post(`/store/carts/${encodeURIComponent(cartId)}/line-items/${encodeURIComponent(rq.params.id)}`, { quantity }))
}

/** The quantity form without the express checkout open (or without scripts): change the cart, back to the page. */
export async function changeQuantity(rq: Rq) {
  const cart = await currentCart(rq)
  if (!cart) return redirect(rq, CART_PATH, { error: "Your cart is gone: start a new one." })
  return change(rq, CART_PATH, async () => {
    await setQuantity(rq, cart.id)
    return "Your cart is updated."
  })
}

/**
 * The quantity form while the express checkout is open, after the page locked the Dintero session: change the cart,
 * then the plugin's sync PUTs the cart as it now is and releases the lock. The sync runs also when the change was
 * refused, so the payer is never left locked out.
 */
export async function changeQuantityUnderLock(rq: Rq) {
  const cartId = rq.cookies[CART]
  if (!cartId) return json(rq, 404, { error: "Your cart is gone: start a new one." })
  let error: string | undefined
  try {
    await setQuantity(rq, cartId)
  } catch (refused) {
    if (!(refused instanceof StoreApiError)) throw refused
    error = refused.message
  }
  try {
    await ok(rq.config.store.post(`/store/dintero/express/${encodeURIComponent(cartId)}/sync`, { session_id: rq.form.get("session_id") ?? "" }))
  } catch (refused) {
    if (!(refused instanceof StoreApiError)) throw refused
    error ??= refused.message
  }
  // The cart as it now is, for the page to show what Dintero shows.
  const cart = await currentCart(rq)
  const lines = Object.fromEntries(((cart?.items ?? []) as any[]).map((item) => [item.id, storeMoney(item.total, cart.currency_code)]))
  return json(rq, error ? 400 : 200, { error, total: cart ? storeMoney(cart.total, cart.currency_code) : undefined, lines })
}

/** "Express checkout": an express payment session for the cart as it is, no address or shipping method needed. */
export async function startExpressCheckout(rq: Rq) {
  const { store } = rq.config
  const cart = await currentCart(rq)
  if (!cart) return redirect(rq, CART_PATH, { error: "Your cart is empty." })
  return change(rq, CART_PATH, async () => {
    const { payment_collection } = await ok(store.post("/store/payment-collections", { cart_id: cart.id }))
    const returnUrl = `${rq.config.url}${EXPRESS_RETURN_PATH}?cart_id=${encodeURIComponent(cart.id)}`
    await ok(
      store.post(`/store/payment-collections/${encodeURIComponent(payment_collection.id)}/payment-sessions`, {
        provider_id: DINTERO_PROVIDER_ID,
        data: { express: true, return_url: returnUrl },
      })
    )
    return "Dintero's checkout is open below."
  })
}

/**
 * Back from Dintero: the plugin completes the cart from the paid express session (address and shipping option
 * from Dintero's transaction); Dintero's callback may be doing the same, so a "not yet" is asked again.
 */
export async function expressReturned(rq: Rq) {
  const error = rq.query.get("error")
  if (error) return notPaid(rq, error)
  const cartId = rq.query.get("cart_id") ?? ""
  const body = { session_id: rq.query.get("session_id") ?? undefined }
  const completed = askAgainWhileConflict(() => rq.config.store.post(`/store/dintero/express/${encodeURIComponent(cartId)}/complete`, body), 10, 500)
  let orderId: string
  try {
    orderId = (await ok(completed)).order.id
  } catch (refused) {
    if (!(refused instanceof StoreApiError)) throw refused
    return page(rq, refused.status, "Payment not completed", `<p>${esc(refused.message)}</p><p><a href="${CART_PATH}">Back to your cart</a></p>`)
  }
  rq.setCookies.push(clearCookie(CART))
  return orderPlaced(rq, orderId)
}

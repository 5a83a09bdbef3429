/**
 * Just enough storefront for a person to try the plugin while the demo stays up (and for the browser tests):
 * the hosted and embedded checkout (checkout.ts), the cart page with Dintero Checkout Express (cart.ts), and the
 * customer's account: log in or register (account.ts), saved cards, added without a purchase (cards.ts),
 * subscriptions (subscriptions.ts), and the card-update link page of the payment-failed e-mail (card-update.ts).
 * Plain server-rendered HTML; every change is a form POST answered with a redirect (the cart page's express
 * checkout also changes quantities from its script, under Dintero's session lock).
 */
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import type { StoreHttp } from "../../lib/http"
import type { SeededStore } from "../../lib/seed-store"
import { errorMessage } from "../print"
import { login, loginPage, logout, overview, register } from "./account"
import { CARD_UPDATE_PATH, addCardPage as addCardByLinkPage, cardUpdatePage, cardUpdateReturned, startCardUpdate } from "./card-update"
import { addCardPage, cardSetupReturned, cardsPage, CARDS_RETURN_PATH, deleteCard, newCard } from "./cards"
import { addToCart, cartPage, CART_PATH, changeQuantity, changeQuantityUnderLock, EXPRESS_RETURN_PATH, expressReturned, startExpressCheckout } from "./cart"
import { checkoutReturned, embeddedCheckout, hostedCheckout, RETURN_PATH } from "./checkout"
import { subscriptionAction, subscriptionPage, subscriptionsPage } from "./subscriptions"
import { esc, page, parseCookies, readForm, WEB_SDK_PATH, type Handler, type Rq, type StorefrontConfig } from "./web"

export { CARD_UPDATE_PATH, RETURN_PATH }

export type Storefront = {
  url: string
  newCheckoutUrl: string
  embeddedCheckoutUrl: string
  /** The cart page, with Dintero Checkout Express. */
  cartUrl: string
  /** The account pages (log in, saved cards, subscriptions). */
  accountUrl: string
  close(): Promise<void>
}

async function webSdk(rq: Rq) {
  rq.res.writeHead(200, { "content-type": "text/javascript" })
  rq.res.end(readFileSync(require.resolve("@dintero/checkout-web-sdk/dist/dintero-checkout-web-sdk.umd.min.js")))
}

/** [method, path pattern (`:name` is a parameter), handler] */
const ROUTES: Array<[string, string, Handler]> = [
  ["GET", "/", hostedCheckout],
  ["GET", "/checkout/new", hostedCheckout],
  ["GET", "/checkout/embed", embeddedCheckout],
  ["GET", RETURN_PATH, checkoutReturned],
  ["GET", WEB_SDK_PATH, webSdk],
  ["GET", CART_PATH, cartPage],
  ["POST", "/cart/add", addToCart],
  ["POST", "/cart/lines/:id", changeQuantity],
  ["POST", "/cart/express/lines/:id", changeQuantityUnderLock],
  ["POST", "/cart/express", startExpressCheckout],
  ["GET", EXPRESS_RETURN_PATH, expressReturned],
  ["GET", "/account", overview],
  ["GET", "/account/login", loginPage],
  ["POST", "/account/login", login],
  ["POST", "/account/register", register],
  ["POST", "/account/logout", logout],
  ["GET", "/account/cards", cardsPage],
  ["POST", "/account/cards/new", newCard],
  ["GET", "/account/cards/add", addCardPage],
  ["GET", CARDS_RETURN_PATH, cardSetupReturned],
  ["POST", "/account/cards/:id/delete", deleteCard],
  ["GET", "/account/subscriptions", subscriptionsPage],
  ["GET", "/account/subscriptions/:id", subscriptionPage],
  ["POST", "/account/subscriptions/:id/:action", subscriptionAction],
  ["GET", CARD_UPDATE_PATH, cardUpdatePage],
  ["POST", `${CARD_UPDATE_PATH}/start`, startCardUpdate],
  ["GET", `${CARD_UPDATE_PATH}/add`, addCardByLinkPage],
  ["GET", `${CARD_UPDATE_PATH}/return`, cardUpdateReturned],
]

function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/")
  const got = path.split("/")
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) {
      if (!got[i]) return null
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i])
      } catch {
        return null
      }
    } else if (want[i] !== got[i]) return null
  }
  return params
}

export async function startStorefront(opts: Omit<StorefrontConfig, "url"> & { port: number; store: StoreHttp; seeded: SeededStore }): Promise<Storefront> {
  const url = `http://localhost:${opts.port}`
  const config: StorefrontConfig = { url, store: opts.store, seeded: opts.seeded, adminUrl: opts.adminUrl, dinteroEndpoint: opts.dinteroEndpoint }

  const server = createServer(async (req, res) => {
    const requestUrl = new URL(req.url ?? "/", url)
    const rq: Rq = {
      config,
      method: req.method ?? "GET",
      path: requestUrl.pathname,
      params: {},
      query: requestUrl.searchParams,
      form: new URLSearchParams(),
      cookies: parseCookies(req.headers.cookie),
      res,
      setCookies: [],
    }
    try {
      const found = ROUTES.map(([method, pattern, handler]) => ({ method, handler, params: match(pattern, rq.path) })).filter((r) => r.params)
      const route = found.find((r) => r.method === rq.method)
      if (!route) {
        if (found.length) return page(rq, 405, "Method not allowed", "")
        return page(rq, 404, "Not found", `<p><a href="/cart">Your cart</a> · <a href="/checkout/new">Start a checkout</a> · <a href="/account">Your account</a></p>`)
      }
      rq.params = route.params!
      rq.form = await readForm(req)
      await route.handler(rq)
    } catch (error) {
      if (!res.headersSent) return page(rq, 500, "Something went wrong", `<p>${esc(errorMessage(error))}</p>`)
      res.end()
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(opts.port, "127.0.0.1", () => resolve())
  })
  return {
    url,
    newCheckoutUrl: `${url}/checkout/new`,
    embeddedCheckoutUrl: `${url}/checkout/embed`,
    cartUrl: `${url}${CART_PATH}`,
    accountUrl: `${url}/account`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

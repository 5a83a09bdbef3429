/**
 * Just enough storefront for a person to try the hosted checkout while the demo stays up:
 * `/checkout/new` starts a checkout and sends the browser to Dintero's hosted page, `/checkout/embed`
 * embeds the same checkout in the page with @dintero/checkout-web-sdk, and the return page Dintero sends
 * the payer back to completes the cart and shows the order.
 */
import { readFileSync } from "node:fs"
import { createServer, type ServerResponse } from "node:http"
import type { StoreHttp } from "../lib/http"
import type { SeededStore } from "../lib/seed-store"
import { placeOrderOnReturn, startCheckout } from "./checkout"
import { errorMessage } from "./print"

export const RETURN_PATH = "/checkout/dintero/return"

export type Storefront = { url: string; newCheckoutUrl: string; embeddedCheckoutUrl: string; close(): Promise<void> }

const WEB_SDK_PATH = "/vendor/dintero-checkout-web-sdk.umd.min.js"

export async function startStorefront(opts: {
  port: number
  store: StoreHttp
  seeded: SeededStore
  adminUrl: string
  /** Where the Web SDK loads the checkout from: Dintero's checkout host, or the emulator. */
  dinteroEndpoint: string
}): Promise<Storefront> {
  const url = `http://localhost:${opts.port}`
  const returnUrl = (cartId: string) => `${url}${RETURN_PATH}?cart_id=${encodeURIComponent(cartId)}`

  const server = createServer(async (req, res) => {
    const requestUrl = new URL(req.url ?? "/", url)
    try {
      if (req.method !== "GET") return page(res, 405, "Method not allowed", "")
      if (requestUrl.pathname === "/" || requestUrl.pathname === "/checkout/new") {
        const checkout = await startCheckout(opts.store, opts.seeded, { quantity: 1, returnUrl })
        res.writeHead(302, { location: checkout.checkoutUrl }).end()
        return
      }
      if (requestUrl.pathname === "/checkout/embed") {
        const checkout = await startCheckout(opts.store, opts.seeded, { quantity: 1, returnUrl })
        return embedded(res, checkout.dinteroSessionId)
      }
      if (requestUrl.pathname === WEB_SDK_PATH) {
        res.writeHead(200, { "content-type": "text/javascript" })
        res.end(readFileSync(require.resolve("@dintero/checkout-web-sdk/dist/dintero-checkout-web-sdk.umd.min.js")))
        return
      }
      if (requestUrl.pathname === RETURN_PATH) return await returned(res, requestUrl.searchParams)
      return page(res, 404, "Not found", `<p><a href="/checkout/new">Start a checkout</a></p>`)
    } catch (error) {
      return page(res, 500, "Something went wrong", `<p>${esc(errorMessage(error))}</p>`)
    }
  })

  /**
   * The embedded checkout, as a storefront would do it. Without payment handlers the SDK follows the
   * session's return URL when the payment ends, so the same return page completes the cart.
   */
  function embedded(res: ServerResponse, sid: string) {
    const options = JSON.stringify({ sid, endpoint: opts.dinteroEndpoint, language: "en" })
    return page(
      res,
      200,
      "Checkout",
      `<div id="dintero-checkout"></div><script src="${WEB_SDK_PATH}"></script>` +
        `<script>dintero.embed(Object.assign({ container: document.getElementById("dintero-checkout") }, ${options}))</script>`
    )
  }

  async function returned(res: ServerResponse, query: URLSearchParams) {
    const again = `<p><a href="/checkout/new">Start another checkout</a></p>`
    const error = query.get("error")
    if (error) {
      return page(res, 200, "Payment not completed", `<p>Dintero reports: <b>${esc(error)}</b>. Nothing was charged.</p>${again}`)
    }
    const cartId = query.get("cart_id")
    if (!cartId) return page(res, 400, "Unknown checkout", `<p>The return link has no cart id.</p>${again}`)
    const order = await placeOrderOnReturn(opts.store, cartId)
    const orderLink = `${opts.adminUrl}/orders/${encodeURIComponent(order.id)}`
    return page(
      res,
      200,
      `Takk! Order #${esc(String(order.display_id))} is placed`,
      `<p>Dintero transaction <code>${esc(query.get("transaction_id") ?? "")}</code> is authorized.</p>` +
        `<p>Capture or refund it in the admin: <a href="${esc(orderLink)}">${esc(orderLink)}</a></p>${again}`
    )
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(opts.port, "127.0.0.1", () => resolve())
  })
  return {
    url,
    newCheckoutUrl: `${url}/checkout/new`,
    embeddedCheckoutUrl: `${url}/checkout/embed`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8" })
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
      `<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5}</style></head>` +
      `<body><h1>${title}</h1>${body}<p style="color:#777">medusa-payment-dintero demo storefront</p></body></html>`
  )
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

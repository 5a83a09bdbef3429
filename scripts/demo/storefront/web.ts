/**
 * What every page of the demo storefront shares: the request as a handler sees it (query, form body,
 * cookies), plain HTML pages with escaped output, POST → redirect with a one-time message (a "flash" cookie),
 * and the Store API's error message for whatever it refused.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { HttpResponse, StoreHttp } from "../../lib/http"
import type { SeededStore } from "../../lib/seed-store"

/** What the storefront was started with. */
export type StorefrontConfig = {
  /** The storefront's own origin, e.g. http://localhost:8000 (Dintero's return URLs point here). */
  url: string
  /** Store API with the publishable key. */
  store: StoreHttp
  seeded: SeededStore
  adminUrl: string
  /** Where the Web SDK loads Dintero's pages from: Dintero's checkout host, or the emulator. */
  dinteroEndpoint: string
}

export type Rq = {
  config: StorefrontConfig
  method: string
  path: string
  /** Path parameters of the matched route, e.g. `id`. */
  params: Record<string, string>
  query: URLSearchParams
  form: URLSearchParams
  cookies: Record<string, string>
  res: ServerResponse
  /** Set-Cookie headers to send with whatever the handler answers. */
  setCookies: string[]
}

export type Handler = (rq: Rq) => Promise<void>

export const WEB_SDK_PATH = "/vendor/dintero-checkout-web-sdk.umd.min.js"

export function esc(text: unknown): string {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {}
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=")
    if (at > 0) {
      try {
        cookies[part.slice(0, at).trim()] = decodeURIComponent(part.slice(at + 1).trim())
      } catch {
        // a cookie that is not ours
      }
    }
  }
  return cookies
}

/**
 * An httpOnly cookie (scripts never read it) with SameSite=Lax: a form posted from another site does not
 * carry it, which is the demo's CSRF protection; following a link (Dintero's return) does.
 */
export function cookie(name: string, value: string, opts: { path?: string; maxAgeSeconds?: number } = {}): string {
  const maxAge = opts.maxAgeSeconds ?? 86_400
  return `${name}=${encodeURIComponent(value)}; Path=${opts.path ?? "/"}; HttpOnly; SameSite=Lax; Max-Age=${maxAge}`
}

export function clearCookie(name: string, path = "/"): string {
  return `${name}=; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=0`
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (req.method !== "POST") return new URLSearchParams()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > 16_384) throw new Error("The form is too large.")
    chunks.push(chunk as Buffer)
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"))
}

const FLASH = "sf_flash"

/** Redirects (303: the browser follows with a GET), with a message the next page shows once. */
export function redirect(rq: Rq, location: string, flash?: { error?: string; notice?: string }): void {
  if (flash) rq.setCookies.push(cookie(FLASH, JSON.stringify(flash), { maxAgeSeconds: 60 }))
  rq.res.writeHead(303, { location, "set-cookie": rq.setCookies }).end()
}

const STYLE =
  "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}" +
  "nav a{margin-right:1rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .6rem .3rem 0;border-bottom:1px solid #ddd}" +
  "form.inline{display:inline}button{margin:.2rem .4rem .2rem 0}.notice{background:#e8f6ee;padding:.5rem .8rem}" +
  ".error{background:#fdecec;color:#a61b1b;padding:.5rem .8rem}label{display:block;margin:.4rem 0}"

/** A page: the one-time message of the previous POST on top, then `body`. */
export function page(rq: Rq, status: number, title: string, body: string, opts: { nav?: boolean; headers?: Record<string, string> } = {}): void {
  let flash = ""
  if (rq.cookies[FLASH]) {
    try {
      const { error, notice } = JSON.parse(rq.cookies[FLASH]) as { error?: string; notice?: string }
      if (notice) flash += `<p class="notice" role="status">${esc(notice)}</p>`
      if (error) flash += `<p class="error" role="alert">${esc(error)}</p>`
    } catch {
      // not ours
    }
    rq.setCookies.push(clearCookie(FLASH))
  }
  const nav = opts.nav
    ? `<nav><a href="/account">Account</a><a href="/account/cards">Saved cards</a><a href="/account/subscriptions">Subscriptions</a>` +
      `<form class="inline" method="post" action="/account/logout"><button type="submit">Log out</button></form></nav>`
    : ""
  rq.res.writeHead(status, { "content-type": "text/html; charset=utf-8", "set-cookie": rq.setCookies, ...opts.headers })
  rq.res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head>` +
      `<body>${nav}<h1>${esc(title)}</h1>${flash}${body}<p style="color:#777">medusa-payment-dintero demo storefront</p></body></html>`
  )
}

/** A button that posts to `action` (every change is a POST; pages are GETs). */
export function postButton(action: string, label: string, hidden: Record<string, string> = {}): string {
  const fields = Object.entries(hidden)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join("")
  return `<form class="inline" method="post" action="${esc(action)}">${fields}<button type="submit">${esc(label)}</button></form>`
}

/**
 * Dintero's page inside ours with the unmodified @dintero/checkout-web-sdk. Without handlers the SDK follows
 * the session's return URL when the payer is done, so the same return page serves the embedded and hosted pages.
 */
export function embeddedDintero(config: StorefrontConfig, sid: string, opts: { withCheckout?: string } = {}): string {
  const options = scriptJson({ sid, endpoint: config.dinteroEndpoint, language: "en" })
  // `withCheckout`: the page's own script, run with the SDK's instance (`checkout`) once the iframe is there.
  const then = opts.withCheckout ? `.then(function (checkout) {${opts.withCheckout}})` : ""
  return (
    `<div id="dintero-checkout"></div><script src="${WEB_SDK_PATH}"></script>` +
    `<script>dintero.embed(Object.assign({ container: document.getElementById("dintero-checkout") }, ${options}))${then}</script>`
  )
}

/** A value as JSON inside a <script> element (a `</script>` in it cannot end the element). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c")
}

/** A JSON answer, for the few requests a page's script makes (the cart page's express checkout). */
export function json(rq: Rq, status: number, body: unknown): void {
  rq.res.writeHead(status, { "content-type": "application/json; charset=utf-8", "set-cookie": rq.setCookies })
  rq.res.end(JSON.stringify(body))
}

/** A Store API refusal, with the message the API gave (shown to the person as it is). */
export class StoreApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message)
    this.name = "StoreApiError"
  }
}

/** The body of a 2xx answer; otherwise a StoreApiError with the API's own message. */
export async function ok<T = any>(response: Promise<HttpResponse<T>>): Promise<T> {
  const { status, data } = await response
  if (status >= 200 && status < 300) return data
  const message = (data as { message?: unknown } | undefined)?.message
  throw new StoreApiError(status, typeof message === "string" && message ? message : `The store answered HTTP ${status}.`)
}

export function money(minor: number | null | undefined, currency: string): string {
  return `${(Number(minor ?? 0) / 100).toFixed(2)} ${currency.toUpperCase()}`
}

/** An amount as Medusa's Store API gives it (major units, e.g. a cart's `total`). */
export function storeMoney(amount: number | string | null | undefined, currency: string): string {
  return money(Math.round(Number(amount ?? 0) * 100), currency)
}

export function day(iso: string | null | undefined): string {
  return iso ? new Date(iso).toISOString().slice(0, 10) : "—"
}

export function cardLabel(card: { brand?: string | null; masked_pan?: string | null } | null | undefined): string {
  return card ? `${card.brand ?? "Card"} ${card.masked_pan ?? ""}`.trim() : "—"
}

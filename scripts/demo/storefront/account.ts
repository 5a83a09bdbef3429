/**
 * Logging in and out, registering, and the account overview. The session is an httpOnly cookie holding the
 * customer's Medusa token: the browser never sees it from a script, and only this server sends it to the
 * Store API (as a Bearer token).
 */
import { withHeaders, type StoreHttp } from "../../lib/http"
import { clearCookie, cookie, esc, ok, page, redirect, StoreApiError, type Rq } from "./web"

const SESSION = "sf_customer"

/** The Store API as the logged-in customer, or null after sending the browser to the login page. */
export function customerStore(rq: Rq): StoreHttp | null {
  const token = rq.cookies[SESSION]
  if (!token) {
    redirect(rq, `/account/login?next=${encodeURIComponent(rq.path)}`)
    return null
  }
  return withHeaders(rq.config.store, { authorization: `Bearer ${token}` })
}

/** A page of the account runs with the customer's API; a session the store no longer accepts logs out. */
export function asCustomer(handler: (rq: Rq, store: StoreHttp) => Promise<void>) {
  return async (rq: Rq) => {
    const store = customerStore(rq)
    if (!store) return
    try {
      await handler(rq, store)
    } catch (error) {
      if (error instanceof StoreApiError && error.status === 401) {
        rq.setCookies.push(clearCookie(SESSION))
        return redirect(rq, "/account/login", { error: "Your session has ended: please log in again." })
      }
      throw error
    }
  }
}

/** Runs a change; the API's refusal comes back to `back` as its message, success as `done`. */
export async function change(rq: Rq, back: string, fn: () => Promise<string>): Promise<void> {
  try {
    const done = await fn()
    return redirect(rq, back, { notice: done })
  } catch (error) {
    if (error instanceof StoreApiError && error.status !== 401) return redirect(rq, back, { error: error.message })
    throw error
  }
}

/** Only paths of this storefront: `next` never sends the browser elsewhere. */
function localPath(next: string | null): string {
  return next && next.startsWith("/account") && !next.startsWith("//") ? next : "/account"
}

export async function loginPage(rq: Rq) {
  const next = esc(localPath(rq.query.get("next")))
  return page(
    rq,
    200,
    "Log in",
    `<form method="post" action="/account/login" aria-label="Log in"><input type="hidden" name="next" value="${next}">` +
      `<label>Email <input name="email" type="email" autocomplete="username" required></label>` +
      `<label>Password <input name="password" type="password" autocomplete="current-password" required></label>` +
      `<button type="submit">Log in</button></form>` +
      `<h2>New here?</h2><form method="post" action="/account/register" aria-label="Create an account"><input type="hidden" name="next" value="${next}">` +
      `<label>First name <input name="first_name" autocomplete="given-name"></label>` +
      `<label>Last name <input name="last_name" autocomplete="family-name"></label>` +
      `<label>Email <input name="email" type="email" autocomplete="email" required></label>` +
      `<label>New password <input name="password" type="password" autocomplete="new-password" required></label>` +
      `<button type="submit">Create account</button></form>`
  )
}

function loggedIn(rq: Rq, token: string) {
  rq.setCookies.push(cookie(SESSION, token))
  return redirect(rq, localPath(rq.form.get("next")))
}

export async function login(rq: Rq) {
  const email = rq.form.get("email") ?? ""
  const password = rq.form.get("password") ?? ""
  try {
    const { token } = await ok<{ token: string }>(rq.config.store.post("/auth/customer/emailpass", { email, password }))
    return loggedIn(rq, token)
  } catch (error) {
    if (error instanceof StoreApiError) return redirect(rq, "/account/login", { error: error.message })
    throw error
  }
}

/** Medusa's registration: an auth identity, then the customer (with the registration token), then a login. */
export async function register(rq: Rq) {
  const { store } = rq.config
  const email = rq.form.get("email") ?? ""
  const password = rq.form.get("password") ?? ""
  try {
    const { token: registration } = await ok<{ token: string }>(store.post("/auth/customer/emailpass/register", { email, password }))
    const profile = { email, first_name: rq.form.get("first_name") || undefined, last_name: rq.form.get("last_name") || undefined }
    await ok(store.post("/store/customers", profile, { headers: { authorization: `Bearer ${registration}` } }))
    // Only a token issued after the customer exists names the customer.
    const { token } = await ok<{ token: string }>(store.post("/auth/customer/emailpass", { email, password }))
    return loggedIn(rq, token)
  } catch (error) {
    if (error instanceof StoreApiError) return redirect(rq, "/account/login", { error: error.message })
    throw error
  }
}

export async function logout(rq: Rq) {
  rq.setCookies.push(clearCookie(SESSION))
  return redirect(rq, "/account/login", { notice: "You are logged out." })
}

export const overview = asCustomer(async (rq, store) => {
  const [{ customer }, { payment_methods: cards }, { subscriptions }] = await Promise.all([
    ok(store.get("/store/customers/me")),
    ok(store.get("/store/dintero/payment-methods")),
    ok(store.get("/store/customers/me/subscriptions")),
  ])
  const name = [customer.first_name, customer.last_name].filter(Boolean).join(" ") || customer.email
  return page(
    rq,
    200,
    `Hello, ${name}`,
    `<p>Logged in as ${esc(customer.email)}.</p><ul>` +
      `<li><a href="/account/cards">Saved cards</a> (${cards.length})</li>` +
      `<li><a href="/account/subscriptions">Subscriptions</a> (${subscriptions.length})</li></ul>` +
      `<p><a href="/checkout/new">Buy something</a></p>`,
    { nav: true }
  )
})

/** HTML of the emulated hosted checkout: the payment page, status pages and the embed messages. */
import { TEST_CARDS } from "./cards"
import { CHECKOUT_METHODS, PAYMENT_PRODUCTS } from "./payment-products"

export interface CheckoutPage {
  sessionId: string
  merchantReference: string
  currency: string
  amount: number
  lines: Array<{ description: string; quantity?: number; amount: number }>
  formAction: string
  /** Set when loaded by the Web SDK (`sdk` query parameter): results are posted to the parent window. */
  sdk?: string
  savedCard?: { brand: string; last4: string }
  error?: string
  card?: string
  expiry?: string
  /** Methods other than cards the page offers (payment product types), each with its test outcomes. */
  methods?: string[]
  /**
   * A zero-amount token session (POST /v1/sessions/payment-token): the payer enters a card to save; nothing
   * is reserved or charged, so there is no amount, no order lines, no saved card and no other method.
   */
  saveCardOnly?: { productLabel: string }
  /** Express sessions only: the address, shipping and discount steps (express.ts). */
  express?: ExpressPage
  /** Set while the shop holds the session lock (embedded Express): nothing can be paid. */
  locked?: boolean
  /** The session as the Web SDK's SessionLoaded / SessionUpdated events carry it (SDK mode only). */
  sessionJson?: unknown
}

export interface ExpressPage {
  shippingAddress?: Record<string, unknown>
  options: Array<{ id: string; line_id: string; title: string; operator: string; amount: number; description?: unknown; delivery_method?: unknown }>
  chosenLineId?: string
  shippingRequired: boolean
  discountCodes: string[]
  /** Discount codes can be entered (express.discount_codes and configuration.discounts.express_discount_codes.enabled). */
  discountsEnabled: boolean
  maxCodes: number
  /** Why the session cannot be paid yet. */
  payProblem?: string
}

const ZERO_DECIMAL = new Set(["ISK", "JPY", "KRW", "CLP", "VND"])

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Minor units to a readable amount, e.g. 29990 NOK → "299.90 NOK". */
export function formatMoney(amount: number, currency: string): string {
  const decimals = ZERO_DECIMAL.has(currency) ? 0 : 2
  return `${(amount / 10 ** decimals).toFixed(decimals)} ${currency}`
}

const STYLE = `
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f4f5f7; color: #1d2330; margin: 0; }
  main { max-width: 480px; margin: 32px auto; background: #fff; border-radius: 12px; padding: 24px 28px; box-shadow: 0 2px 12px rgba(0,0,0,.08); }
  h1 { font-size: 20px; margin: 0 0 4px; } .muted { color: #687085; font-size: 13px; }
  table { width: 100%; border-collapse: collapse; margin: 16px 0; font-size: 14px; }
  td, th { padding: 6px 12px 6px 0; border-bottom: 1px solid #eceef2; text-align: left; } td.amount, th.amount { text-align: right; }
  tr.total td { font-weight: 600; border-bottom: none; font-size: 16px; }
  label { display: block; font-size: 13px; margin: 10px 0 4px; color: #3b4252; }
  input { width: 100%; box-sizing: border-box; padding: 10px; font-size: 15px; border: 1px solid #cdd2db; border-radius: 6px; }
  .row { display: flex; gap: 12px; } .row > div { flex: 1; }
  button { padding: 12px 16px; font-size: 15px; border-radius: 6px; border: none; cursor: pointer; }
  .pay { background: #0a6cff; color: #fff; width: 100%; margin-top: 16px; } .cancel { background: none; color: #687085; width: 100%; margin-top: 8px; }
  .method { display: flex; align-items: center; gap: 8px; margin: 8px 0; } .method strong { flex: 1; }
  .method button { padding: 8px 10px; font-size: 13px; background: #eceef2; color: #1d2330; }
  .saved { background: #11845b; color: #fff; width: 100%; margin-top: 8px; }
  .error { background: #fdecec; color: #a61b1b; border-radius: 6px; padding: 10px 12px; margin: 12px 0; }
  .banner { background: #fff6d6; color: #6b5200; font-size: 12px; text-align: center; padding: 6px; }
  details { margin-top: 20px; font-size: 12px; } code { font-size: 12px; }
`

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><div class="banner">Dintero Checkout emulator: test payments only, no real money moves</div>
<main>${body}</main></body></html>`
}

function testCardTable(): string {
  const rows = TEST_CARDS.map((card) => `<tr><td><code>${card.pan}</code></td><td>${escapeHtml(card.label)}</td></tr>`).join("")
  return `<details open><summary>Test cards (any future expiry, any 3 digit CVC)</summary>
<table><tr><th>Card number</th><th>Result</th></tr>${rows}</table></details>`
}

/**
 * One row per method other than a card: the payer's answer in the app (or the invoice provider's) is chosen
 * with a button, as a test outcome. "Manual review" (ON_HOLD) only where the product has it.
 */
function methodForms(model: CheckoutPage): string {
  const disabled = blockedReason(model) ? " disabled" : ""
  const methods = (model.methods ?? CHECKOUT_METHODS) as Array<keyof typeof PAYMENT_PRODUCTS>
  if (!methods.length) return ""
  const hidden = `<input type="hidden" name="sdk" value="${escapeHtml(model.sdk ?? "")}">`
  const rows = methods
    .map((type) => {
      const rules = PAYMENT_PRODUCTS[type]
      const button = (outcome: string, label: string) =>
        `<button type="submit" data-testid="method-${escapeHtml(type)}-${outcome}" name="outcome" value="${outcome}"${disabled}>${label}</button>`
      return `<form class="method" method="post" action="${escapeHtml(model.formAction)}">${hidden}
<input type="hidden" name="action" value="pay_method"><input type="hidden" name="method" value="${escapeHtml(type)}">
<strong>${escapeHtml(rules.label)}</strong> <code>${escapeHtml(type)}</code>
${button("approve", "Approve")}${button("decline", "Decline")}${rules.onHold ? button("on_hold", "Manual review") : ""}</form>`
    })
    .join("\n")
  return `<h2 style="font-size:16px;margin-top:24px">Other payment methods</h2>${rows}`
}

/** Why the pay buttons are disabled: the shop holds the lock, or the express steps are not done. */
function blockedReason(model: CheckoutPage): string | undefined {
  if (model.locked) return "The shop is updating your order; please wait."
  return model.express?.payProblem
}

const ADDRESS_INPUTS: Array<[string, string, string]> = [
  ["first_name", "First name", "given-name"],
  ["last_name", "Last name", "family-name"],
  ["address_line", "Address", "address-line1"],
  ["postal_code", "Postal code", "postal-code"],
  ["postal_place", "City", "address-level2"],
  ["country", "Country (ISO code, e.g. NO)", "country"],
  ["email", "Email", "email"],
  ["phone_number", "Phone (+4799999999)", "tel"],
]

/**
 * The Express steps, plain forms that post to /v1/view/{sid}/express with `action` = address | wallet |
 * shipping_option | discount | discount_remove. Stable name/data-testid attributes (emulator/README.md).
 */
function expressSection(model: CheckoutPage, express: ExpressPage): string {
  const action = escapeHtml(model.formAction.replace(/\/pay$/, "/express"))
  const hidden = `<input type="hidden" name="sdk" value="${escapeHtml(model.sdk ?? "")}">`
  const form = (testid: string, inner: string) =>
    `<form method="post" action="${action}" data-testid="${testid}" data-express-form>${hidden}${inner}</form>`
  const address = express.shippingAddress ?? {}
  const inputs = ADDRESS_INPUTS.map(([name, label, autocomplete]) => {
    const value = typeof address[name] === "string" ? address[name] : ""
    return `<label for="express-${name}">${label}</label><input id="express-${name}" name="${name}" autocomplete="${autocomplete}" data-testid="express-address-${name.replace(/_/g, "-")}" value="${escapeHtml(value)}">`
  }).join("\n")
  const addressForm = form(
    "express-address-form",
    `<h2 style="font-size:16px">Shipping address</h2>${inputs}
<button class="pay" type="submit" name="action" value="address" data-testid="express-address-submit">Use this address</button>`
  )
  const walletForm = form(
    "express-wallet-form",
    `<p class="muted">Apple Pay / Google Pay one-click: the wallet shares only country and postal code until you pay.</p>
<div class="row"><div><label for="wallet-country">Country</label><input id="wallet-country" name="country" data-testid="express-wallet-country" value="NO"></div>
<div><label for="wallet-postal-code">Postal code</label><input id="wallet-postal-code" name="postal_code" data-testid="express-wallet-postal-code"></div></div>
<button class="saved" type="submit" name="action" value="wallet" data-testid="express-wallet-submit">Express pay with wallet</button>`
  )
  const shown = express.shippingAddress
    ? `<p data-testid="express-shipping-address">Ship to: ${escapeHtml(
        ["first_name", "last_name", "address_line", "postal_code", "postal_place", "country"]
          .map((k) => address[k])
          .filter((v) => typeof v === "string" && v)
          .join(", ")
      )}</p>`
    : ""
  let options = ""
  if (express.shippingAddress) {
    options = express.options.length
      ? form(
          "express-shipping-options",
          `<h2 style="font-size:16px">Shipping</h2>${express.options
            .map((o) => {
              const checked = o.line_id === express.chosenLineId ? " checked" : ""
              return `<label class="method"><input type="radio" style="width:auto" name="shipping_option" value="${escapeHtml(o.line_id)}" data-testid="express-shipping-option-${escapeHtml(o.line_id)}" data-option-id="${escapeHtml(o.id)}"${checked}>
<strong>${escapeHtml(o.title)}</strong> <span class="muted">${escapeHtml(o.operator)}</span> <span data-testid="express-shipping-option-amount-${escapeHtml(o.line_id)}">${formatMoney(o.amount, model.currency)}</span></label>`
            })
            .join("\n")}
<button class="pay" type="submit" name="action" value="shipping_option" data-testid="express-shipping-option-submit">Choose shipping</button>`
        )
      : `<p data-testid="express-no-shipping-options" class="muted">The shop cannot ship to this address.</p>`
  }
  let discounts = ""
  if (express.discountsEnabled) {
    // A remove button submits remove_code (and no action); the apply button submits action=discount.
    const applied = express.discountCodes
      .map((code) => `<li>${escapeHtml(code)} <button type="submit" name="remove_code" value="${escapeHtml(code)}" data-testid="express-discount-remove-${escapeHtml(code)}">Remove</button></li>`)
      .join("")
    discounts = form(
      "express-discount-form",
      `<h2 style="font-size:16px">Discount code</h2>
<ul data-testid="express-discount-applied">${applied}</ul>
<label for="discount-code">Code (up to ${express.maxCodes})</label><input id="discount-code" name="discount_code" data-testid="express-discount-code">
<button class="method" type="submit" name="action" value="discount" data-testid="express-discount-submit">Apply code</button>`
    )
  }
  return `<section data-testid="express">${shown}${addressForm}${express.shippingAddress ? "" : walletForm}${options}${discounts}</section>`
}

export function renderCheckoutPage(model: CheckoutPage): string {
  if (model.saveCardOnly) return renderSaveCardPage(model, model.saveCardOnly.productLabel)
  const lines = model.lines
    .map((line) => {
      const quantity = line.quantity !== undefined && line.quantity !== 1 ? `${line.quantity} × ` : ""
      return `<tr><td>${quantity}${escapeHtml(line.description)}</td><td class="amount">${formatMoney(line.amount, model.currency)}</td></tr>`
    })
    .join("")
  const hidden = `<input type="hidden" name="sdk" value="${escapeHtml(model.sdk ?? "")}">`
  const blocked = blockedReason(model)
  const disabled = blocked ? " disabled" : ""
  const saved = model.savedCard
    ? `<form method="post" action="${escapeHtml(model.formAction)}">${hidden}<input type="hidden" name="action" value="pay_saved">
<label for="saved-cvc">CVC for your saved card</label><input id="saved-cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required>
<button class="saved" type="submit" data-testid="pay-saved"${disabled}>Pay with saved card ${escapeHtml(model.savedCard.brand)} •••• ${escapeHtml(model.savedCard.last4)}</button></form>
<p class="muted">or pay with another card:</p>`
    : ""
  return page(
    `Pay ${formatMoney(model.amount, model.currency)}`,
    `<h1>Pay ${formatMoney(model.amount, model.currency)}</h1>
<div class="muted">Order ${escapeHtml(model.merchantReference)}</div>
${model.locked ? `<div class="error" role="status" data-testid="session-locked">The shop is updating your order; please wait.</div>` : ""}
<table data-testid="order-lines">${lines}<tr class="total"><td>Total</td><td class="amount" data-testid="order-total">${formatMoney(model.amount, model.currency)}</td></tr></table>
${model.error ? `<div class="error" role="alert" data-testid="checkout-error">${escapeHtml(model.error)}</div>` : ""}
${model.express ? expressSection(model, model.express) : ""}
${blocked && !model.locked ? `<p class="muted" data-testid="pay-blocked">${escapeHtml(blocked)}</p>` : ""}
${saved}
<form method="post" action="${escapeHtml(model.formAction)}">${hidden}
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="${escapeHtml(model.card ?? "")}" placeholder="4111 1111 1111 1111">
<div class="row"><div><label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" value="${escapeHtml(model.expiry ?? "")}" placeholder="12/30"></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" placeholder="123"></div></div>
<button class="pay" type="submit" name="action" value="pay" data-testid="pay-button"${disabled}>Pay ${formatMoney(model.amount, model.currency)}</button>
<button class="cancel" type="submit" name="action" value="cancel" formnovalidate data-testid="cancel-button">Cancel payment</button>
</form>
${methodForms(model)}
${testCardTable()}
${model.sdk ? sdkScript(model) : ""}`
  )
}

/** The page of a zero-amount token session: a card form whose button saves the card. */
function renderSaveCardPage(model: CheckoutPage, productLabel: string): string {
  const hidden = `<input type="hidden" name="sdk" value="${escapeHtml(model.sdk ?? "")}">`
  return page(
    "Save your card",
    `<h1>Save your card</h1>
<div class="muted">${escapeHtml(productLabel)} · reference ${escapeHtml(model.merchantReference)}</div>
<p>Your card is verified and saved for later payments. No amount is reserved or charged now.</p>
${model.error ? `<div class="error" role="alert">${escapeHtml(model.error)}</div>` : ""}
<form method="post" action="${escapeHtml(model.formAction)}">${hidden}
<label for="card">Card number</label><input id="card" name="card" inputmode="numeric" autocomplete="cc-number" value="${escapeHtml(model.card ?? "")}" placeholder="4111 1111 1111 1111">
<div class="row"><div><label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" value="${escapeHtml(model.expiry ?? "")}" placeholder="12/30"></div>
<div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" placeholder="123"></div></div>
<button class="pay" type="submit" name="action" value="pay">Save card</button>
<button class="cancel" type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>
${testCardTable()}
${model.sdk ? reportHeight(model.sessionId) : ""}`
  )
}

/**
 * The iframe's side of the Web SDK protocol (@dintero/checkout-web-sdk 0.8.30, dist esm): the height, and
 * - on load `SessionLoaded {session}`, or `SessionUpdated {session}` after a refresh or an express step;
 * - `LockSession` (checkout.lockSession()) → the session is locked → `SessionLocked {pay_lock_id}`, or
 *   `SessionLockFailed` when it cannot be locked;
 * - `RefreshSession` (checkout.refreshSession(), or the callback of onSessionLocked) → the page reloads the
 *   session and answers `SessionUpdated {session}`.
 * The SDK accepts messages only from the endpoint's origin, from its iframe, and with its own sid.
 */
function sdkScript(model: CheckoutPage): string {
  const sid = JSON.stringify(model.sessionId).replace(/</g, "\\u003c")
  const session = JSON.stringify(model.sessionJson ?? null).replace(/</g, "\\u003c")
  const base = JSON.stringify(model.formAction.replace(/\/pay$/, "")).replace(/</g, "\\u003c")
  return `${reportHeight(model.sessionId)}<script>(function () {
  var sid = ${sid}, base = ${base}, key = "dintero-emulator-updated:" + sid
  var post = function (message) { message.sid = sid; window.parent.postMessage(message, "*") }
  var updated = false
  try { updated = sessionStorage.getItem(key) === "1"; sessionStorage.removeItem(key) } catch (e) {}
  post({ type: updated ? "SessionUpdated" : "SessionLoaded", session: ${session} })
  var markUpdated = function () { try { sessionStorage.setItem(key, "1") } catch (e) {} }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-express-form]"), function (form) {
    form.addEventListener("submit", markUpdated)
  })
  window.addEventListener("message", function (event) {
    var data = event.data
    if (event.source !== window.parent || !data || data.sid !== sid) return
    if (data.type === "LockSession") {
      fetch(base + "/lock", { method: "POST", headers: { accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status) })
        .then(function (body) {
          post({ type: "SessionLocked", pay_lock_id: body.pay_lock_id })
          // No reload here: the shop's RefreshSession must find this page listening.
          Array.prototype.forEach.call(document.querySelectorAll("button, input"), function (el) { el.disabled = true })
          var banner = document.createElement("div")
          banner.className = "error"; banner.setAttribute("data-testid", "session-locked")
          banner.textContent = "The shop is updating your order; please wait."
          document.querySelector("main").insertBefore(banner, document.querySelector("main").firstChild)
        })
        .catch(function () { post({ type: "SessionLockFailed" }) })
    } else if (data.type === "RefreshSession") {
      markUpdated()
      window.location.reload()
    }
  })
})()</script>`
}

/**
 * In the Web SDK's iframe the page tells the parent how tall it is (the SDK sizes the iframe from
 * `HeightChanged` messages, which it accepts only from the endpoint's origin and for its own sid).
 */
function reportHeight(sessionId: string): string {
  const sid = JSON.stringify(sessionId).replace(/</g, "\\u003c")
  return `<script>(function () {
  var report = function () {
    window.parent.postMessage({ type: "HeightChanged", sid: ${sid}, height: document.documentElement.scrollHeight }, "*")
  }
  window.addEventListener("load", report)
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body)
})()</script>`
}

export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`)
}

/** Inside the Web SDK's iframe the result goes to the parent window instead of a redirect. */
export function renderEmbedMessage(message: Record<string, unknown>, title: string): string {
  const payload = JSON.stringify(message).replace(/</g, "\\u003c")
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p class="muted">Returning to the shop…</p>
<script>window.parent.postMessage(${payload}, "*");</script>`
  )
}

export function renderEmbedResult(params: URLSearchParams): string {
  const error = params.get("error")
  const title = error ? (error === "cancelled" ? "Payment cancelled" : "Payment failed") : "Payment complete"
  const detail = params.get("transaction_id") ? `Transaction ${params.get("transaction_id")}` : params.get("merchant_reference") ?? ""
  return renderMessagePage(title, detail)
}

/**
 * Checkout Express: what the payer does on an express session (shipping address, shipping option, discount
 * codes), the callbacks Dintero makes to the merchant for it, and the session lock of embedded Express.
 *
 * Written from Dintero's docs: /docs/checkout/express-overview, /docs/checkout/shipping-options,
 * /docs/checkout/shipping-address-callback (+ API reference example-session-callbacks/address-update),
 * /docs/checkout/checkout-express-discount-code (+ discount-codes-update), and the `express` block of the
 * Checkout API spec as shipped in @dintero/checkout-web-sdk's session.d.ts:
 *   "Dintero will not attempt a retry after a failed delivery attempt. Following situations is considered as
 *    failed delivery: HTTP status codes that are not 200; a request timeout (60 seconds); any connection error."
 * Calls to the merchant never go through the emulator's fault/latency controls (those are for the Dintero API
 * side); a slow merchant is simulated by the merchant being slow, against `expressCallbackTimeoutMs`.
 */
import type { EmulatorContext } from "./context"
import { ApiError, badRequest } from "./errors"
import { clone, isObject } from "./http"
import { uuid } from "./ids"
import type { JsonObject, SessionOrder, SessionRecord, ShippingOption } from "./model"
import { addSessionEvent, isSessionExpired, renderSession } from "./session-view"
import type { CallbackAttempt } from "./types"
import { isUri, orderLinesTotal, Problems, validateOrder } from "./validation"

const SHIPPING_MODES = ["shipping_required", "shipping_not_required"]
const CUSTOMER_TYPES = ["b2c", "b2b"]
const DELIVERY_METHODS = ["delivery", "pick_up", "unspecified", "none"]
/** OrderAddress fields (Checkout API spec); anything else in an address the payer sends is refused. */
const ADDRESS_FIELDS = [
  "first_name", "last_name", "address_line", "address_line_2", "co_address", "business_name", "postal_code",
  "postal_place", "country", "phone_number", "email", "latitude", "longitude", "comment", "organization_number",
  "organization_type", "customer_reference", "cost_center",
]

export interface ExpressConfig extends JsonObject {
  shipping_options: ShippingOption[]
  shipping_mode?: "shipping_required" | "shipping_not_required"
  shipping_address_callback_url?: string
  discount_codes?: { max_count?: number; callback_url: string }
  customer_types?: string[]
}

/** The express block of a session, or undefined for an ordinary session. */
export const expressOf = (session: SessionRecord): ExpressConfig | undefined =>
  isObject(session.extra.express) ? (session.extra.express as ExpressConfig) : undefined

export const shippingRequired = (express: ExpressConfig) => (express.shipping_mode ?? "shipping_required") === "shipping_required"

// ---------------------------------------------------------------------------------------------------------
// Validation of the create body (POST /v1/sessions-profile) and of what the merchant answers.

function checkString(p: Problems, path: string, value: unknown, required: boolean): void {
  if (value === undefined) {
    if (required) p.add(path, "is required")
    return
  }
  if (typeof value !== "string") return p.add(path, "must be a string")
  if (required && !value.trim()) p.add(path, "must not be empty")
}

/** ShippingOption: id, line_id, amount, title and operator are required (docs /docs/checkout/shipping-options). */
export function validateShippingOptions(p: Problems, path: string, options: unknown): void {
  if (!Array.isArray(options)) return p.add(path, "is required and must be an array")
  const lineIds = new Set<string>()
  options.forEach((option, i) => {
    const at = `${path}[${i}]`
    if (!isObject(option)) return p.add(at, "must be an object")
    for (const field of ["id", "line_id", "title", "operator"]) checkString(p, `${at}.${field}`, option[field], true)
    if (option.amount === undefined) p.add(`${at}.amount`, "is required")
    else if (!Number.isInteger(option.amount) || (option.amount as number) < 0) p.add(`${at}.amount`, "must be a non-negative integer amount in minor units")
    if (option.vat_amount !== undefined && (!Number.isInteger(option.vat_amount) || (option.vat_amount as number) < 0)) {
      p.add(`${at}.vat_amount`, "must be a non-negative integer amount in minor units")
    }
    if (option.vat !== undefined && (typeof option.vat !== "number" || !Number.isFinite(option.vat))) p.add(`${at}.vat`, "must be a number")
    if (option.delivery_method !== undefined && !DELIVERY_METHODS.includes(option.delivery_method as string)) {
      p.add(`${at}.delivery_method`, `must be one of ${DELIVERY_METHODS.join(", ")}`)
    }
    for (const field of ["eta", "time_slot", "pick_up_address", "metadata"]) {
      if (option[field] !== undefined && !isObject(option[field])) p.add(`${at}.${field}`, "must be an object")
    }
    checkString(p, `${at}.description`, option.description, false)
    checkString(p, `${at}.country`, option.country, false)
    checkString(p, `${at}.operator_product_id`, option.operator_product_id, false)
    // line_id identifies one option (the id groups options, e.g. time slots of one product): unique per list.
    if (typeof option.line_id === "string") {
      if (lineIds.has(option.line_id)) p.add(`${at}.line_id`, `"${option.line_id}" is not unique within the shipping options`)
      lineIds.add(option.line_id)
    }
  })
}

/** SessionExpress of the create body; throws nothing, adds problems. */
export function validateExpress(p: Problems, express: unknown, order: unknown): void {
  if (express === undefined) return
  if (!isObject(express)) return p.add("express", "must be an object")
  validateShippingOptions(p, "express.shipping_options", express.shipping_options)
  if (express.shipping_mode !== undefined && !SHIPPING_MODES.includes(express.shipping_mode as string)) {
    p.add("express.shipping_mode", `must be one of ${SHIPPING_MODES.join(", ")}`)
  }
  if (express.shipping_address_callback_url !== undefined && !isUri(express.shipping_address_callback_url)) {
    p.add("express.shipping_address_callback_url", "must be an absolute http(s) URI")
  }
  if (express.discount_codes !== undefined) {
    const codes = express.discount_codes
    if (!isObject(codes)) p.add("express.discount_codes", "must be an object")
    else {
      if (!isUri(codes.callback_url)) p.add("express.discount_codes.callback_url", "is required and must be an absolute http(s) URI")
      if (codes.max_count !== undefined && (!Number.isInteger(codes.max_count) || (codes.max_count as number) < 1)) {
        p.add("express.discount_codes.max_count", "must be a positive integer")
      }
    }
  }
  if (express.customer_types !== undefined) {
    const types = express.customer_types
    if (!Array.isArray(types) || !types.length || types.some((t) => !CUSTOMER_TYPES.includes(t as string))) {
      p.add("express.customer_types", `must be a non-empty array of ${CUSTOMER_TYPES.join(", ")}`)
    }
  }
  if (express.default_different_billing_shipping_address !== undefined && typeof express.default_different_billing_shipping_address !== "boolean") {
    p.add("express.default_different_billing_shipping_address", "must be a boolean")
  }
  // A preselected shipping option must be one the payer could choose (emulator: strict, the docs are silent).
  if (isObject(order) && isObject(order.shipping_option) && Array.isArray(express.shipping_options)) {
    const chosen = order.shipping_option
    const offered = express.shipping_options.some((o) => isObject(o) && o.id === chosen.id && o.line_id === chosen.line_id && o.amount === chosen.amount)
    if (!offered) p.add("order.shipping_option", "must be one of express.shipping_options (same id, line_id and amount)")
  }
}

function validateAddress(p: Problems, path: string, address: unknown): void {
  if (!isObject(address)) return p.add(path, "is required and must be an object")
  for (const [key, value] of Object.entries(address)) {
    if (!ADDRESS_FIELDS.includes(key)) p.add(`${path}.${key}`, "is not a field of an address")
    else if ((key === "latitude" || key === "longitude") ? typeof value !== "number" : typeof value !== "string") {
      p.add(`${path}.${key}`, key === "latitude" || key === "longitude" ? "must be a number" : "must be a string")
    }
  }
  // Apple Pay / Google Pay one-click sends only country and postal_code (docs shipping-address-callback).
  if (typeof address.country !== "string" || !/^[A-Z]{2}$/.test(address.country)) p.add(`${path}.country`, "is required: an ISO 3166-1 alpha-2 code such as NO")
  if (typeof address.postal_code !== "string" || !address.postal_code.trim()) p.add(`${path}.postal_code`, "is required")
}

// ---------------------------------------------------------------------------------------------------------
// Calls to the merchant.

export interface MerchantCall {
  /** The merchant's HTTP status; null on timeout or network error. */
  status: number | null
  /** The merchant's answer (JSON, or the text when it is not JSON); null when there is none. */
  body: unknown
  /** Why the answer was not applied, when it was not. */
  error?: string
}

export interface ExpressResult {
  session: JsonObject
  /** Null when the session has no callback URL for this step (nothing was called). */
  callback: MerchantCall | null
  applied: boolean
}

async function callMerchant(ctx: EmulatorContext, session: SessionRecord, url: string, kind: CallbackAttempt["kind"], payload: JsonObject): Promise<MerchantCall> {
  const body = JSON.stringify(payload)
  const headers = { "content-type": "application/json", accept: "application/json" }
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), ctx.options.expressCallbackTimeoutMs)
  let call: MerchantCall
  try {
    const response = await fetch(url, { method: "POST", headers, body, signal: controller.signal })
    const text = await response.text()
    let parsed: unknown = text || null
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // kept as text
    }
    call = { status: response.status, body: parsed }
  } catch (error) {
    const aborted = controller.signal.aborted
    const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message
    call = { status: null, body: null, error: aborted ? "timeout" : code }
  } finally {
    clearTimeout(timer)
  }
  const target = new URL(url)
  ctx.state.callbackAttempts.push({
    deliveryId: uuid(),
    attempt: 1,
    method: "POST",
    url,
    query: Object.fromEntries(target.searchParams),
    headers,
    body: payload,
    sessionId: session.id,
    kind,
    ...(call.status !== null ? { status: call.status } : {}),
    ...(call.error ? { error: call.error } : {}),
    response: call.body,
    // No retry for express callbacks, so a failure is final.
    outcome: call.status === 200 ? "delivered" : "failed",
    at: ctx.nowIso(),
  })
  ctx.log(`express callback ${kind} ${target.origin}${target.pathname} -> ${call.status ?? call.error}`)
  return call
}

/** The message of a Dintero error body `{ error: { message } }`, if the merchant answered one. */
function errorMessageOf(body: unknown): string | undefined {
  if (isObject(body) && isObject(body.error) && typeof body.error.message === "string") return body.error.message
  return undefined
}

// ---------------------------------------------------------------------------------------------------------
// Applying an answer.

const itemsTotal = (order: SessionOrder) => (order.items ?? []).reduce((sum, item) => sum + item.amount, 0)

/**
 * The chosen shipping option after the list changed: kept (with its new price) when an option with the same
 * id and line_id is still offered, dropped otherwise; order.amount follows ("If the shipping option price has
 * changed, we will adjust the total", docs shipping-address-callback).
 */
function reconcileShipping(order: SessionOrder, options: ShippingOption[]): void {
  const chosen = order.shipping_option
  const before = chosen ? { amount: chosen.amount, vat: chosen.vat_amount ?? 0 } : { amount: 0, vat: 0 }
  const still = chosen ? options.find((o) => o.id === chosen.id && o.line_id === chosen.line_id) : undefined
  if (still) order.shipping_option = clone(still)
  else delete order.shipping_option
  const after = still ? { amount: still.amount, vat: still.vat_amount ?? 0 } : { amount: 0, vat: 0 }
  order.amount = order.amount - before.amount + after.amount
  if (order.vat_amount !== undefined) order.vat_amount = order.vat_amount - before.vat + after.vat
}

/**
 * The order the merchant answered: currency and merchant_reference stay, the shipping option and addresses
 * are the payer's, and the amount must be items + the shipping option that was sent (docs
 * shipping-address-callback, "make sure that order.amount contains the amount from the shipping option which
 * is currently chosen"). Returns a problem, or the order to apply.
 */
function readMerchantOrder(session: SessionRecord, answered: unknown): { order?: SessionOrder; problem?: string } {
  if (!isObject(answered)) return { problem: "order must be an object" }
  const current = session.order
  const order = {
    ...clone(answered),
    currency: current.currency,
    merchant_reference: current.merchant_reference,
  } as SessionOrder
  if (answered.currency !== undefined && answered.currency !== current.currency) return { problem: `order.currency cannot change from ${current.currency}` }
  delete order.shipping_option
  if (current.shipping_option) order.shipping_option = clone(current.shipping_option)
  for (const field of ["shipping_address", "billing_address", "discount_codes"]) {
    if (current[field] !== undefined) order[field] = clone(current[field])
    else delete order[field]
  }
  const p = new Problems()
  validateOrder(p, order)
  if (p.list.length) return { problem: p.list.map((x) => `${x.path} ${x.message}`).join("; ") }
  const total = orderLinesTotal(order)
  if (!order.partial_payment && order.amount !== total) {
    return { problem: `order.amount (${order.amount}) must equal the items and the chosen shipping option (${total})` }
  }
  return { order }
}

/** Validates a 200 answer `{ shipping_options, order? }` and returns what to apply, or why not. */
function readAnswer(session: SessionRecord, call: MerchantCall, optionsRequired: boolean): { options?: ShippingOption[]; order?: SessionOrder; problem?: string } {
  if (call.status === null) return { problem: call.error === "timeout" ? "the merchant did not answer in time" : `the merchant could not be reached (${call.error})` }
  if (call.status !== 200) {
    const message = errorMessageOf(call.body)
    return { problem: message ?? `the merchant answered HTTP ${call.status}` }
  }
  if (!isObject(call.body)) return { problem: "the merchant's answer is not a JSON object" }
  const p = new Problems()
  if (call.body.shipping_options !== undefined || optionsRequired) validateShippingOptions(p, "shipping_options", call.body.shipping_options)
  if (p.list.length) return { problem: `invalid answer: ${p.list.map((x) => `${x.path} ${x.message}`).join("; ")}` }
  const result: { options?: ShippingOption[]; order?: SessionOrder; problem?: string } = {}
  if (call.body.shipping_options !== undefined) result.options = clone(call.body.shipping_options) as ShippingOption[]
  if (call.body.order !== undefined) {
    const read = readMerchantOrder(session, call.body.order)
    if (read.problem) return { problem: `invalid answer: ${read.problem}` }
    result.order = read.order
  }
  return result
}

function apply(ctx: EmulatorContext, session: SessionRecord, express: ExpressConfig, answer: { options?: ShippingOption[]; order?: SessionOrder }): void {
  const previous = clone(session.order)
  if (answer.order) session.order = answer.order
  if (answer.options) express.shipping_options = answer.options
  reconcileShipping(session.order, express.shipping_options)
  if (answer.order) {
    addSessionEvent(ctx, session, "UPDATE_SESSION", { details: { previous_order: previous, updated_order: clone(session.order) } })
  }
}

// ---------------------------------------------------------------------------------------------------------
// The payer's steps.

/** An express session the payer can still change: not paid, not cancelled, not expired, not locked. */
export function expressSession(ctx: EmulatorContext, sessionId: string): { session: SessionRecord; express: ExpressConfig } {
  const session = ctx.state.sessions.get(sessionId)
  if (!session || session.origin !== "checkout") throw new ApiError(404, "NOT_FOUND", `Session ${sessionId} not found`)
  const express = expressOf(session)
  if (!express) throw badRequest("The session is not an Express session (it has no express block)", "NOT_EXPRESS_SESSION")
  if (session.transactionId) throw new ApiError(400, "SESSION_PAID", "The session is already paid")
  if (session.cancelledAt) throw new ApiError(400, "SESSION_CANCELLED", "The session is cancelled")
  if (isSessionExpired(ctx, session)) throw new ApiError(400, "SESSION_EXPIRED", "The session has expired")
  // While the shop holds the lock it is updating the session; the payer waits (embedded Express).
  if (session.payLock) throw new ApiError(400, "SESSION_LOCKED", "The session is locked by the shop while it updates the order")
  return { session, express }
}

/**
 * The payer submits a shipping address (all fields, or only country + postal_code for the Apple Pay / Google
 * Pay one-click path). With a shipping_address_callback_url the merchant is asked first (one try, no retry);
 * the address and the answer are applied only together, so a failed call leaves the session as it was.
 */
export async function setShippingAddress(ctx: EmulatorContext, sessionId: string, address: unknown): Promise<ExpressResult> {
  const { session, express } = expressSession(ctx, sessionId)
  const p = new Problems()
  validateAddress(p, "shipping_address", address)
  p.throwIfAny()
  const url = express.shipping_address_callback_url
  const proposed = renderSession(session)
  ;(proposed.order as JsonObject).shipping_address = clone(address)
  let call: MerchantCall | null = null
  let answer: { options?: ShippingOption[]; order?: SessionOrder } = {}
  if (url) {
    call = await callMerchant(ctx, session, url, "express_shipping_address", proposed)
    const read = readAnswer(session, call, true)
    // The session may have changed (paid, locked, cancelled) while the merchant was thinking.
    if (!read.problem && (session.transactionId || session.cancelledAt || session.payLock)) read.problem = "the session changed while the merchant answered"
    if (read.problem) return { session: renderSession(session), callback: { ...call, error: read.problem }, applied: false }
    answer = read
  }
  session.order.shipping_address = clone(address) as JsonObject
  if (answer.order) answer.order.shipping_address = clone(address) as JsonObject
  apply(ctx, session, express, answer)
  addSessionEvent(ctx, session, "SET_SHIPPING_ADDRESS", { details: { shipping_address: clone(address) as JsonObject } })
  return { session: renderSession(session), callback: call, applied: true }
}

/** The payer chooses one of the current express.shipping_options (by id, and line_id where ids repeat). */
export function setShippingOption(ctx: EmulatorContext, sessionId: string, choice: { id?: unknown; line_id?: unknown }): JsonObject {
  const { session, express } = expressSession(ctx, sessionId)
  if (typeof choice.id !== "string") throw badRequest("id is required: the id of one of express.shipping_options", "INVALID_REQUEST")
  if (choice.line_id !== undefined && typeof choice.line_id !== "string") throw badRequest("line_id must be a string", "INVALID_REQUEST")
  // The payer submits an address first, then selects a shipping option (spec, `express`).
  if (!session.order.shipping_address) throw badRequest("Set a shipping address before choosing a shipping option", "SHIPPING_ADDRESS_REQUIRED")
  const matches = express.shipping_options.filter((o) => o.id === choice.id && (choice.line_id === undefined || o.line_id === choice.line_id))
  if (!matches.length) throw badRequest(`Shipping option "${choice.id}${choice.line_id ? `/${choice.line_id}` : ""}" is not one of the session's shipping options`, "UNKNOWN_SHIPPING_OPTION")
  if (matches.length > 1) throw badRequest(`Several shipping options have id "${choice.id}": give line_id too`, "AMBIGUOUS_SHIPPING_OPTION")
  const option = matches[0]
  const order = session.order
  const before = { amount: order.shipping_option?.amount ?? 0, vat: order.shipping_option?.vat_amount ?? 0 }
  order.shipping_option = clone(option)
  order.amount = order.amount - before.amount + option.amount
  if (order.vat_amount !== undefined) order.vat_amount = order.vat_amount - before.vat + (option.vat_amount ?? 0)
  addSessionEvent(ctx, session, "SET_SHIPPING_OPTION", { details: { shipping_option: clone(option) } })
  return renderSession(session)
}

/**
 * The payer enters (or removes) discount codes. Needs express.discount_codes.callback_url and
 * configuration.discounts.express_discount_codes.enabled (docs checkout-express-discount-code). At most
 * max_count codes (1 when not given: the docs are silent, the emulator is strict). The merchant answers the
 * order with the discounts applied (and possibly new shipping options); an invalid code is refused by a non-200
 * answer in Dintero's error shape, whose message the payer sees.
 */
export async function setDiscountCodes(ctx: EmulatorContext, sessionId: string, codes: unknown): Promise<ExpressResult> {
  const { session, express } = expressSession(ctx, sessionId)
  const config = express.discount_codes
  const discounts = session.configuration.discounts
  const enabled = isObject(discounts) && isObject(discounts.express_discount_codes) && discounts.express_discount_codes.enabled === true
  if (!config || !enabled) {
    throw badRequest(
      "Discount codes are not enabled for this session: it needs express.discount_codes.callback_url and configuration.discounts.express_discount_codes.enabled",
      "DISCOUNT_CODES_NOT_ENABLED"
    )
  }
  if (!Array.isArray(codes) || codes.some((c) => typeof c !== "string" || !c.trim())) {
    throw badRequest("discount_codes must be an array of non-empty strings", "INVALID_REQUEST")
  }
  const max = config.max_count ?? 1
  if (codes.length > max) throw badRequest(`At most ${max} discount code(s) can be used`, "TOO_MANY_DISCOUNT_CODES")
  const wanted = [...new Set((codes as string[]).map((c) => c.trim()))]
  const proposed = renderSession(session)
  ;(proposed.order as JsonObject).discount_codes = wanted
  const call = await callMerchant(ctx, session, config.callback_url, "express_discount_codes", proposed)
  const read = readAnswer(session, call, false)
  if (!read.problem && !read.order) read.problem = "invalid answer: order is required"
  if (!read.problem && (session.transactionId || session.cancelledAt || session.payLock)) read.problem = "the session changed while the merchant answered"
  if (read.problem) return { session: renderSession(session), callback: { ...call, error: read.problem }, applied: false }
  read.order!.discount_codes = wanted
  apply(ctx, session, express, read)
  addSessionEvent(ctx, session, "SET_DISCOUNT_CODES", { details: { discount_codes: wanted } })
  return { session: renderSession(session), callback: call, applied: true }
}

/** Why an express session cannot be paid yet, or undefined when it can. */
export function expressPayProblem(session: SessionRecord): string | undefined {
  const express = expressOf(session)
  if (!express) return undefined
  if (!session.order.shipping_address) return "Enter a shipping address before paying"
  if (shippingRequired(express) && !session.order.shipping_option) return "Choose a shipping option before paying"
  const total = itemsTotal(session.order) + (session.order.shipping_option?.amount ?? 0)
  if (!session.order.partial_payment && session.order.amount !== total) {
    return `The order amount (${session.order.amount}) does not equal the items and the chosen shipping option (${total})`
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------------
// The session lock (embedded Express: Web SDK lockSession() → the checkout locks → SessionLocked{pay_lock_id}).

export function lockSession(ctx: EmulatorContext, sessionId: string): { locked: true; pay_lock_id: string } {
  const session = ctx.state.sessions.get(sessionId)
  if (!session || session.origin !== "checkout") throw new ApiError(404, "NOT_FOUND", `Session ${sessionId} not found`)
  if (session.transactionId) throw new ApiError(400, "SESSION_PAID", "The session is already paid")
  if (session.cancelledAt) throw new ApiError(400, "SESSION_CANCELLED", "The session is cancelled")
  if (isSessionExpired(ctx, session)) throw new ApiError(400, "SESSION_EXPIRED", "The session has expired")
  session.payLock = { id: uuid(), lockedAt: ctx.nowIso() }
  return { locked: true, pay_lock_id: session.payLock.id }
}

export function unlockSession(ctx: EmulatorContext, sessionId: string): { locked: false } {
  const session = ctx.state.sessions.get(sessionId)
  if (!session || session.origin !== "checkout") throw new ApiError(404, "NOT_FOUND", `Session ${sessionId} not found`)
  delete session.payLock
  return { locked: false }
}

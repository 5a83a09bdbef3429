/**
 * Zero-amount token sessions: POST /v1/sessions/payment-token (`checkout_payment_token_session_post`).
 *
 * From Dintero's docs and payments spec (reference §3; docs /docs/checkout/tokenization-create-token and
 * /docs/checkout/tokenization-fetching-storing; spec `SessionPaymentToken`, `TokenProvider` and its
 * `PayExTokenProvider`, `BamboraTokenProvider`, `DinteroPspCardTokenProvider`):
 * - "This endpoint lets you create payment and recurrence tokens without reserving or charging any amount.
 *   The URL returned by this endpoint opens a web site where the customer can enter their payment details";
 *   the answer is `SessionCreated` `{id, url}` (200; `include_session=true` adds the session).
 * - The body is `{session, token_provider}`, both required (spec changelog: "`session` and `payment_token`
 *   are required"). `session.order` has `currency` and `merchant_reference` (required), `merchant_reference_2`
 *   and `store`: no amount, no items. `session.url` is SessionUrls (`return_url` required).
 * - `token_provider.payment_product_type` picks the card product: `payex.creditcard` (token_types
 *   payment_token and/or recurrence_token), `bambora.creditcard` and `dintero_psp.creditcard` (payment_token
 *   only; Dintero PSP also takes `token_supported_auth_methods` ⊂ 3DS|PASSKEY). The spec also lists
 *   `dintero_psp.googlepay` and `dintero_psp.clicktopay`, which the emulator does not offer. Wallet apps,
 *   Swish and invoices have no token provider: they cannot be tokenized this way.
 * - "The payment details will be validated and a transaction with a payment/recurrence token will be created
 *   on success": the return_url and callback_url then receive the transaction (as after a payment), and the
 *   token is read with GET /v1/transactions/{id}?includes=card.payment_token. The transaction's
 *   `payment_operation` is `generate_payment_token` (spec PaymentOperationIntent).
 * [UNVERIFIED] the status of that transaction is not documented; the emulator records it as an AUTHORIZED
 * transaction of amount 0 (nothing reserved, so nothing can be captured; a void is allowed).
 */
import { requireAccount } from "./auth"
import type { EmulatorContext } from "./context"
import { ApiError, badRequest } from "./errors"
import { clone, isObject, json, type ApiRequest, type ApiResponse } from "./http"
import { resourceId } from "./ids"
import type { SessionOrder, SessionRecord } from "./model"
import { isPaymentProductType, rulesOf } from "./payment-products"
import { addSessionEvent, checkoutUrl, renderSession } from "./session-view"
import { CARD_PRODUCT_TYPES, isCardProductType } from "./tokens"
import type { CardProductType } from "./types"
import { Problems, validateCustomer, validateExpiresAt, validateUrls } from "./validation"

const CURRENCY = /^[A-Z]{3}$/
const ORDER_FIELDS = ["currency", "merchant_reference", "merchant_reference_2", "store"]
const SESSION_FIELDS = ["order", "url", "profile_id", "customer", "expires_at", "configuration", "metadata"]
const AUTH_METHODS = ["3DS", "PASSKEY"]
/** Token providers of the spec that the emulator does not offer (no test wallet for them). */
const NOT_EMULATED = ["dintero_psp.googlepay", "dintero_psp.clicktopay"]

type TokenType = "payment_token" | "recurrence_token"

function validateTokenProvider(p: Problems, provider: unknown): { productType: CardProductType; tokenTypes: TokenType[] } | undefined {
  if (!isObject(provider)) {
    p.add("token_provider", "is required and must be an object")
    return undefined
  }
  const type = provider.payment_product_type
  if (typeof type !== "string" || !type) {
    p.add("token_provider.payment_product_type", "is required")
    return undefined
  }
  if (!isCardProductType(type)) {
    const why = NOT_EMULATED.includes(type)
      ? "is not offered by the emulator"
      : isPaymentProductType(type)
        ? `cannot be tokenized: ${rulesOf(type).label} has no payment token provider`
        : "is not a payment product type with a token provider"
    p.add("token_provider.payment_product_type", `${type} ${why}; use one of ${CARD_PRODUCT_TYPES.join(", ")}`)
    return undefined
  }
  const allowed: TokenType[] = type === "payex.creditcard" ? ["payment_token", "recurrence_token"] : ["payment_token"]
  const types = provider.token_types
  if (!Array.isArray(types) || types.length === 0) {
    p.add("token_provider.token_types", `is required: a non-empty array of ${allowed.join(", ")}`)
    return undefined
  }
  types.forEach((value, i) => {
    if (!allowed.includes(value as TokenType)) {
      p.add(`token_provider.token_types[${i}]`, `${JSON.stringify(value)} is not issued by ${type}; use ${allowed.join(" or ")}`)
    }
  })
  const methods = provider.token_supported_auth_methods
  if (methods !== undefined) {
    if (type !== "dintero_psp.creditcard") {
      p.add("token_provider.token_supported_auth_methods", "is only supported by dintero_psp.creditcard")
    } else if (!Array.isArray(methods) || methods.some((m) => !AUTH_METHODS.includes(m as string))) {
      p.add("token_provider.token_supported_auth_methods", `must be an array of ${AUTH_METHODS.join(", ")}`)
    }
  }
  return { productType: type, tokenTypes: [...new Set(types as TokenType[])] }
}

function validateTokenOrder(p: Problems, order: unknown): void {
  if (!isObject(order)) return p.add("session.order", "is required and must be an object")
  if (order.currency === undefined) p.add("session.order.currency", "is required")
  else if (typeof order.currency !== "string" || !CURRENCY.test(order.currency)) {
    p.add("session.order.currency", "must be an ISO 4217 currency code such as NOK")
  }
  if (typeof order.merchant_reference !== "string" || !order.merchant_reference.trim()) {
    p.add("session.order.merchant_reference", "is required")
  }
  if (order.merchant_reference_2 !== undefined && typeof order.merchant_reference_2 !== "string") {
    p.add("session.order.merchant_reference_2", "must be a string")
  }
  // Nothing is reserved or charged: SessionPaymentToken.order has no amount and no lines.
  for (const key of Object.keys(order)) {
    if (!ORDER_FIELDS.includes(key)) {
      p.add(`session.order.${key}`, "is not part of a payment token session's order (nothing is charged)")
    }
  }
}

export function createPaymentTokenSession(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const accountId = requireAccount(rq)
  const body = rq.body
  if (!isObject(body)) throw badRequest("A JSON body with session and token_provider is required", "INVALID_REQUEST")
  const p = new Problems()
  const session = body.session
  let provider: ReturnType<typeof validateTokenProvider>
  if (!isObject(session)) {
    p.add("session", "is required and must be an object")
    provider = validateTokenProvider(p, body.token_provider)
  } else {
    validateTokenOrder(p, session.order)
    const urls = new Problems()
    validateUrls(urls, session.url, true)
    urls.list.forEach((problem) => p.add(`session.${problem.path}`, problem.message))
    const customer = new Problems()
    validateCustomer(customer, session.customer)
    customer.list.forEach((problem) => p.add(`session.${problem.path}`, problem.message))
    if (isObject(session.customer) && session.customer.tokens !== undefined) {
      p.add("session.customer.tokens", "cannot be given: the session creates the token")
    }
    validateExpiresAt(p, session.expires_at, ctx.now())
    if (session.profile_id !== undefined && (typeof session.profile_id !== "string" || !session.profile_id)) {
      p.add("session.profile_id", "must be a non-empty string")
    }
    if (session.configuration !== undefined && !isObject(session.configuration)) p.add("session.configuration", "must be an object")
    if (session.metadata !== undefined && !isObject(session.metadata)) p.add("session.metadata", "must be an object")
    provider = validateTokenProvider(p, body.token_provider)
  }
  p.throwIfAny()
  const input = session as Record<string, unknown>
  const profileId = input.profile_id as string | undefined
  if (profileId && !ctx.account(accountId)?.profiles.includes(profileId)) {
    throw new ApiError(404, "NOT_FOUND", `Payment profile "${profileId}" not found for account ${accountId}`)
  }
  const now = ctx.now()
  const order = { ...clone(input.order as Record<string, unknown>), amount: 0 } as SessionOrder
  const extra: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) if (!SESSION_FIELDS.includes(key)) extra[key] = clone(value)
  const record: SessionRecord = {
    id: resourceId(accountId),
    accountId,
    origin: "payment_token",
    tokenProvider: provider!,
    profileId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: (input.expires_at as string | undefined) ?? new Date(now.getTime() + ctx.options.sessionTtlSeconds * 1000).toISOString(),
    url: clone(input.url) as SessionRecord["url"],
    order,
    customer: isObject(input.customer) ? clone(input.customer) : undefined,
    customerTokens: {},
    configuration: isObject(input.configuration) ? clone(input.configuration) : {},
    metadata: isObject(input.metadata) ? clone(input.metadata) : {},
    extra: { ...extra, token_provider: clone(body.token_provider) },
    events: [],
  }
  addSessionEvent(ctx, record, "INITIATED", { request_id: rq.requestId })
  addSessionEvent(ctx, record, "PAYMENT_TOKEN_FLOW_START", { request_id: rq.requestId })
  ctx.state.sessions.set(record.id, record)
  const created = { id: record.id, url: checkoutUrl(ctx, record.id) }
  return json(200, rq.query.get("include_session") === "true" ? { ...created, session: renderSession(record) } : created)
}

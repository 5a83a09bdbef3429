/**
 * Merchant-initiated payments: POST /v1/sessions/pay (reference §4, docs "Use a stored card token").
 * A declined charge still answers 200, with `status: "FAILED"`, `success: false` and the decline
 * in the AUTHORIZE event's `error` (type, retry_policy). A refused request answers 400 with the error
 * and `success: false`.
 */
import { requireAccount } from "./auth"
import { approve, decline, putOnHold } from "./authorization"
import { declineError, isExpired } from "./cards"
import type { EmulatorContext } from "./context"
import { ApiError, badRequest } from "./errors"
import { clone, featureToggles, isObject, json, type ApiRequest, type ApiResponse } from "./http"
import { resourceId } from "./ids"
import type { SessionOrder, SessionRecord } from "./model"
import { addSessionEvent } from "./session-view"
import { invalidToken, isCardProductType, resolveToken, nextOutcome } from "./tokens"
import { createTransaction, renderTransaction } from "./transactions"
import type { CardProductType, MitOutcome } from "./types"
import { Problems, validateCustomer, validateOrder, validateUrls } from "./validation"

const OPERATIONS = ["recurring_purchase", "unscheduled_purchase"]
/** Statuses a transaction only reaches after a successful authorization. */
const AUTHORIZED_ONCE = ["AUTHORIZED", "CAPTURED", "PARTIALLY_CAPTURED", "REFUNDED", "PARTIALLY_REFUNDED", "PARTIALLY_CAPTURED_REFUNDED", "AUTHORIZATION_VOIDED"]

/**
 * Which token the operation takes: Swedbank Pay (payex) charges `recurring_purchase` with its
 * recurrence token; Bambora and Dintero PSP use the payment token for all cases (docs, tokenization).
 */
function tokenField(productType: CardProductType, operation: string): "payment_token" | "recurrence_token" {
  return productType === "payex.creditcard" && operation === "recurring_purchase" ? "recurrence_token" : "payment_token"
}

function validatePayBody(body: unknown): { session: Record<string, unknown>; productType: CardProductType; operation: string } {
  if (!isObject(body)) throw badRequest("A JSON body with session and payment is required", "INVALID_REQUEST")
  const p = new Problems()
  const session = isObject(body.session) ? body.session : undefined
  if (!session) p.add("session", "is required")
  else {
    validateUrls(p, session.url, false)
    validateOrder(p, session.order)
    validateCustomer(p, session.customer)
    if (session.configuration !== undefined && !isObject(session.configuration)) p.add("session.configuration", "must be an object")
    if (session.metadata !== undefined && !isObject(session.metadata)) p.add("session.metadata", "must be an object")
  }
  const payment = isObject(body.payment) ? body.payment : undefined
  if (!payment) p.add("payment", "is required")
  else {
    if (!isCardProductType(payment.payment_product_type)) {
      p.add("payment.payment_product_type", "must be one of dintero_psp.creditcard, payex.creditcard, bambora.creditcard")
    }
    if (!OPERATIONS.includes(payment.operation as string)) p.add("payment.operation", `must be one of ${OPERATIONS.join(", ")}`)
  }
  p.throwIfAny()
  return { session: session!, productType: payment!.payment_product_type as CardProductType, operation: payment!.operation as string }
}

function checkMerchantReference(ctx: EmulatorContext, rq: ApiRequest, accountId: string, reference: string): void {
  const toggles = featureToggles(rq)
  if (toggles.has("strict-merchant-reference")) {
    const used = [...ctx.state.sessions.values()].some((s) => s.accountId === accountId && s.order.merchant_reference === reference)
    if (used) throw badRequest(`merchant_reference "${reference}" is already used by another session`, "DUPLICATE_MERCHANT_REFERENCE")
  }
  if (toggles.has("strict-success-merchant-reference")) {
    const paid = [...ctx.state.transactions.values()].some(
      (r) => r.accountId === accountId && r.tx.merchant_reference === reference && AUTHORIZED_ONCE.includes(r.tx.status)
    )
    if (paid) {
      throw badRequest(`merchant_reference "${reference}" is already used by a successfully authorized session`, "DUPLICATE_MERCHANT_REFERENCE")
    }
  }
}

/**
 * The spec answers a refused pay request (400: an invalid body, an unknown or revoked token, a reused
 * merchant_reference) with `Error & SessionPayResult`, i.e. the error plus `success: false`. Declines by the
 * card's issuer are not refusals: they answer 200 with a FAILED transaction (checkout_session_pay_post).
 */
export function payWithToken(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const accountId = requireAccount(rq)
  try {
    return charge(ctx, rq, accountId)
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      return json(400, { ...error.toBody(), success: false })
    }
    throw error
  }
}

function charge(ctx: EmulatorContext, rq: ApiRequest, accountId: string): ApiResponse {
  const { session: body, productType, operation } = validatePayBody(rq.body)
  const field = tokenField(productType, operation)
  const customer = isObject(body.customer) ? clone(body.customer) : {}
  const tokens = isObject(customer.tokens) ? customer.tokens : {}
  const entry = tokens[productType]
  if (!isObject(entry) || entry[field] === undefined) {
    throw invalidToken(`${operation} with ${productType} needs session.customer.tokens["${productType}"].${field}`)
  }
  const token = resolveToken(ctx, accountId, productType, field, entry[field])
  const order = clone(body.order) as SessionOrder
  checkMerchantReference(ctx, rq, accountId, order.merchant_reference)

  delete customer.tokens
  const now = ctx.nowIso()
  const session: SessionRecord = {
    id: resourceId(accountId),
    accountId,
    origin: "mit",
    createdAt: now,
    updatedAt: now,
    expiresAt: typeof body.expires_at === "string" ? body.expires_at : new Date(Date.parse(now) + ctx.options.sessionTtlSeconds * 1000).toISOString(),
    url: isObject(body.url) ? (clone(body.url) as SessionRecord["url"]) : {},
    order,
    customer,
    customerTokens: { [productType]: { tokenId: token.id, field } },
    configuration: isObject(body.configuration) ? clone(body.configuration) : {},
    metadata: isObject(body.metadata) ? clone(body.metadata) : {},
    extra: {},
    events: [],
  }
  addSessionEvent(ctx, session, "INITIATED", { request_id: rq.requestId })
  ctx.state.sessions.set(session.id, session)

  const card = { ...token.card, mitBehaviour: token.cardBehaviour }
  const record = createTransaction(ctx, { session, productType, card, requestId: rq.requestId, paymentOperation: operation })
  record.tx.card![`${field}_id`] = token.id
  session.transactionId = record.tx.id
  const outcome: MitOutcome = isExpired(token.card.expiry_date, ctx.now()) ? "expired_card" : nextOutcome(token)
  if (outcome === "approve") {
    approve(ctx, record, session, rq.requestId)
    ctx.callbacks.paymentCompleted(session, record)
  } else if (outcome === "on_hold") {
    // Held for review (docs /docs/checkout/after-payment: ON_HOLD later turns AUTHORIZED or FAILED, and the
    // callback URL hears about it again). Resolved with POST /__emulator/transactions/:id/resolve.
    putOnHold(ctx, record, rq.requestId)
    ctx.callbacks.paymentCompleted(session, record)
  } else {
    decline(ctx, record, session, rq.requestId, declineError(outcome, ctx.now()))
    ctx.callbacks.paymentFailed(session, "authorization", record)
  }
  // An ON_HOLD charge is not a refusal: the pay result reports success and the status tells it is held.
  const success = outcome === "approve" || outcome === "on_hold"
  const error = record.tx.events.at(-1)?.error
  ctx.state.charges.push({
    merchantReference: order.merchant_reference,
    amount: order.amount,
    currency: order.currency,
    operation,
    paymentProductType: productType,
    tokenId: token.id,
    status: record.tx.status,
    success,
    ...(error ? { declineCode: error.code } : {}),
    transactionId: record.tx.id,
    sessionId: session.id,
    at: ctx.nowIso(),
  })
  const source = productType.split(".")[0].toUpperCase()
  return json(200, {
    ...renderTransaction(ctx, record),
    session_id: session.id,
    success,
    actions: [{ source, code: outcome === "on_hold" ? "ON_HOLD" : success ? "AUTHORIZED" : "FAILED", type: success ? "success" : "error" }],
  })
}

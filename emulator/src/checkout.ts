/**
 * What the payer does on the hosted checkout page: pay with a card or a saved card, or cancel.
 * Used by the HTML form, `emu.pay()` and POST /__emulator/sessions/{id}/pay.
 */
import { approve, putOnHold } from "./authorization"
import { checkoutDeclineError, describeCard, isExpired, luhnValid, parseExpiry, type TestCard } from "./cards"
import type { EmulatorContext } from "./context"
import { ApiError } from "./errors"
import { expressPayProblem } from "./express"
import { uuid } from "./ids"
import { isObject } from "./http"
import type { JsonObject, PaymentCard, SessionRecord, TransactionRecord } from "./model"
import { CHECKOUT_METHODS, isPaymentProductType, rulesOf, type MethodOutcome, type PaymentProductType } from "./payment-products"
import { checkoutUrl, addSessionEvent, isSessionExpired } from "./session-view"
import { markCancelled } from "./sessions"
import { CARD_PRODUCT_TYPES, productConfig, tokenRequestOf } from "./tokens"
import { createTransaction } from "./transactions"
import type { CardProductType, PayOptions, PayResult, StoredToken } from "./types"

/**
 * The card product the checkout uses: the account's, unless the session configuration enables
 * other card products only (e.g. only `payex.creditcard`).
 */
export function checkoutProductType(ctx: EmulatorContext, session: SessionRecord): CardProductType {
  const accountType = ctx.account(session.accountId)!.paymentProductType
  const enabled = CARD_PRODUCT_TYPES.filter((type) => {
    const config = productConfig(session.configuration, type)
    return config !== undefined && config.enabled !== false
  })
  return enabled.length === 0 || enabled.includes(accountType) ? accountType : enabled[0]
}

/** The stored card the session's customer carries, when it can still be used. */
export function savedCardOf(ctx: EmulatorContext, session: SessionRecord): StoredToken | undefined {
  for (const ref of Object.values(session.customerTokens)) {
    const token = ref && ctx.state.tokens.get(ref.tokenId)
    if (token?.status === "ACTIVE") return token
  }
  return undefined
}

/** Throws when the session can no longer be paid (paid, cancelled, expired, merchant-initiated). */
export function assertPayable(ctx: EmulatorContext, sessionId: string): SessionRecord {
  const session = ctx.state.sessions.get(sessionId)
  if (!session || session.origin === "mit") throw new ApiError(404, "NOT_FOUND", `Session ${sessionId} not found`)
  if (session.cancelledAt) throw new ApiError(400, "SESSION_CANCELLED", "The session is cancelled and cannot be paid")
  if (session.transactionId) throw new ApiError(400, "SESSION_PAID", "The session is already paid")
  if (isSessionExpired(ctx, session)) throw new ApiError(400, "SESSION_EXPIRED", "The session has expired")
  return session
}

function withQuery(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  return url.toString()
}

type CardChoice = { card: PaymentCard; test: Pick<TestCard, "checkout">; token?: StoredToken } | { problem: string }

function chooseCard(ctx: EmulatorContext, session: SessionRecord, input: PayOptions): CardChoice {
  const cvc = (input.cvc ?? "123").trim()
  if (!/^\d{3,4}$/.test(cvc)) return { problem: "Enter the 3 digit security code (CVC)" }
  if (input.useSavedToken) {
    const token = savedCardOf(ctx, session)
    if (!token) return { problem: "There is no saved card for this payment" }
    const card = { ...token.card, mitBehaviour: token.cardBehaviour }
    return { card, test: { checkout: "AUTHORIZED" }, token }
  }
  const pan = (input.card ?? "4111111111111111").replace(/[\s-]/g, "")
  if (!luhnValid(pan)) return { problem: "The card number is not valid" }
  const expiry = parseExpiry(input.expiry ?? `12/${ctx.now().getUTCFullYear() + 5}`)
  if (!expiry) return { problem: "Enter the expiry date as MM/YY" }
  return describeCard(pan, expiry.month, expiry.year)
}

export function payAsPayer(ctx: EmulatorContext, sessionId: string, input: PayOptions = {}): PayResult {
  const session = assertPayable(ctx, sessionId)
  const returnUrl = session.url.return_url!
  const reference = session.order.merchant_reference
  if (input.cancel) {
    markCancelled(ctx, session, "customer")
    ctx.callbacks.paymentFailed(session, "cancelled")
    return {
      error: "cancelled",
      redirectUrl: withQuery(returnUrl, { error: "cancelled", merchant_reference: reference, session_id: session.id }),
    }
  }
  // While the shop holds the lock (embedded Express, Web SDK lockSession) the session cannot be paid.
  if (session.payLock) throw new ApiError(400, "SESSION_LOCKED", "The session is locked by the shop while it updates the order; it cannot be paid until unlocked")
  const expressProblem = expressPayProblem(session)
  if (expressProblem) throw new ApiError(400, "EXPRESS_INCOMPLETE", expressProblem)
  const invalid = (message: string): PayResult => ({ error: "invalid_input", message, redirectUrl: checkoutUrl(ctx, session.id) })
  if (session.origin === "payment_token") return saveCardAsPayer(ctx, session, input, invalid)
  if (input.productType !== undefined && !isPaymentProductType(input.productType)) {
    return invalid(`productType must be one of ${[...CARD_PRODUCT_TYPES, ...CHECKOUT_METHODS].join(", ")}`)
  }
  if (input.productType !== undefined && !input.useSavedToken && !rulesOf(input.productType).card) {
    return payWithMethod(ctx, session, input.productType, input.outcome ?? "approve", invalid)
  }
  const choice = chooseCard(ctx, session, input)
  if ("problem" in choice) return invalid(choice.problem)

  const requestId = uuid()
  const productType = choice.token?.payment_product_type ?? (input.productType as CardProductType | undefined) ?? checkoutProductType(ctx, session)
  const outcome = isExpired(choice.card.expiry_date, ctx.now()) ? "EXPIRED_CARD" : choice.test.checkout
  if (outcome !== "AUTHORIZED" && outcome !== "ON_HOLD") {
    // Like the real checkout the payer stays on the page and may try another card.
    const error = checkoutDeclineError(outcome, ctx.now())
    return declined(ctx, session, productType, requestId, outcome, error.message)
  }

  const record = createTransaction(ctx, { session, productType, card: choice.card, requestId })
  const wanted = tokenRequestOf(session.configuration, productType)
  if (wanted.payment || wanted.recurrence) {
    const customerId = typeof session.customer?.customer_id === "string" ? session.customer.customer_id : undefined
    record.tokenRequest = { card: choice.card, ...wanted, customerId }
  }
  return paid(ctx, session, record, outcome === "ON_HOLD", requestId, choice.token)
}

/** `configuration.swish.swish` for `swish.swish`, `configuration.vipps` for `vipps`. */
function methodConfig(session: SessionRecord, productType: string): JsonObject | undefined {
  const [provider, method] = productType.split(".")
  const block = session.configuration[provider]
  if (!isObject(block)) return undefined
  if (!method) return block
  return isObject(block[method]) ? block[method] : undefined
}

/**
 * A method other than a card (payment-products.ts): the payer approves in the app or is granted the invoice,
 * is declined, or (where the product has it) is held for manual review.
 */
function payWithMethod(
  ctx: EmulatorContext,
  session: SessionRecord,
  productType: PaymentProductType,
  outcome: MethodOutcome,
  invalid: (message: string) => PayResult
): PayResult {
  const rules = rulesOf(productType)
  if (!CHECKOUT_METHODS.includes(productType)) return invalid(`${productType} is not offered by this checkout`)
  if (methodConfig(session, productType)?.enabled === false) return invalid(`${rules.label} is not enabled for this payment`)
  if (!["approve", "decline", "on_hold"].includes(outcome)) return invalid("outcome must be approve, decline or on_hold")
  if (outcome === "on_hold" && !rules.onHold) return invalid(`${rules.label} payments are never held for review`)
  const requestId = uuid()
  if (outcome === "decline") return declined(ctx, session, productType, requestId, "DECLINED", `${rules.label} declined the payment`)
  const record = createTransaction(ctx, { session, productType, requestId })
  return paid(ctx, session, record, outcome === "on_hold", requestId)
}

/** A declined payment creates no transaction: the payer stays on the page and may pay another way. */
function declined(ctx: EmulatorContext, session: SessionRecord, productType: string, requestId: string, code: string, message: string): PayResult {
  addSessionEvent(ctx, session, "DECLINED", { request_id: requestId, details: { error: code, payment_product_type: productType } })
  ctx.callbacks.paymentFailed(session, "authorization")
  return { error: "authorization", declineCode: code, message, redirectUrl: checkoutUrl(ctx, session.id) }
}

function paid(ctx: EmulatorContext, session: SessionRecord, record: TransactionRecord, onHold: boolean, requestId: string, token?: StoredToken): PayResult {
  session.transactionId = record.tx.id
  if (onHold) putOnHold(ctx, record, requestId)
  else approve(ctx, record, session, requestId, token)
  ctx.callbacks.paymentCompleted(session, record)
  const reference = session.order.merchant_reference
  return {
    transactionId: record.tx.id,
    status: record.tx.status,
    redirectUrl: withQuery(session.url.return_url!, { transaction_id: record.tx.id, merchant_reference: reference, session_id: session.id }),
  }
}

/**
 * The payer of a zero-amount token session (payment-token-sessions.ts) enters a card of the session's token
 * provider and saves it: the card is validated (a declined test card is declined, as at checkout) and an
 * AUTHORIZED transaction of amount 0 with the tokens asked for is created; the return_url and callback_url
 * hear about it as after a payment. No saved card and no other payment method is offered on this page.
 */
function saveCardAsPayer(ctx: EmulatorContext, session: SessionRecord, input: PayOptions, invalid: (message: string) => PayResult): PayResult {
  const provider = session.tokenProvider!
  if (input.useSavedToken) return invalid("A saved card cannot be used here: enter the card to save")
  if (input.productType !== undefined && input.productType !== provider.productType) {
    return invalid(`Only ${provider.productType} cards can be saved in this session`)
  }
  const choice = chooseCard(ctx, session, input)
  if ("problem" in choice) return invalid(choice.problem)
  const requestId = uuid()
  const outcome = isExpired(choice.card.expiry_date, ctx.now()) ? "EXPIRED_CARD" : choice.test.checkout
  // A zero-amount verification is not held for manual review: the ON_HOLD test card is saved (emulator choice).
  if (outcome !== "AUTHORIZED" && outcome !== "ON_HOLD") {
    const error = checkoutDeclineError(outcome, ctx.now())
    return declined(ctx, session, provider.productType, requestId, outcome, error.message)
  }
  const record = createTransaction(ctx, { session, productType: provider.productType, card: choice.card, requestId, paymentOperation: "generate_payment_token" })
  const customerId = typeof session.customer?.customer_id === "string" ? session.customer.customer_id : undefined
  record.tokenRequest = {
    card: choice.card,
    payment: provider.tokenTypes.includes("payment_token"),
    recurrence: provider.tokenTypes.includes("recurrence_token"),
    customerId,
  }
  return paid(ctx, session, record, false, requestId)
}

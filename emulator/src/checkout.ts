/**
 * What the payer does on the hosted checkout page: pay with a card or a saved card, or cancel.
 * Used by the HTML form, `emu.pay()` and POST /__emulator/sessions/{id}/pay.
 */
import { approve, putOnHold } from "./authorization"
import { checkoutDeclineError, describeCard, isExpired, luhnValid, parseExpiry, type TestCard } from "./cards"
import type { EmulatorContext } from "./context"
import { ApiError } from "./errors"
import { uuid } from "./ids"
import type { PaymentCard, SessionRecord } from "./model"
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
  if (!session || session.origin !== "checkout") throw new ApiError(404, "NOT_FOUND", `Session ${sessionId} not found`)
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
  const choice = chooseCard(ctx, session, input)
  if ("problem" in choice) return { error: "invalid_input", message: choice.problem, redirectUrl: checkoutUrl(ctx, session.id) }

  const requestId = uuid()
  if (input.productType !== undefined && !CARD_PRODUCT_TYPES.includes(input.productType)) {
    return { error: "invalid_input", message: `productType must be one of ${CARD_PRODUCT_TYPES.join(", ")}`, redirectUrl: checkoutUrl(ctx, session.id) }
  }
  const productType = choice.token?.payment_product_type ?? input.productType ?? checkoutProductType(ctx, session)
  const outcome = isExpired(choice.card.expiry_date, ctx.now()) ? "EXPIRED_CARD" : choice.test.checkout
  if (outcome !== "AUTHORIZED" && outcome !== "ON_HOLD") {
    // Like the real checkout the payer stays on the page and may try another card.
    const error = checkoutDeclineError(outcome, ctx.now())
    addSessionEvent(ctx, session, "DECLINED", {
      request_id: requestId,
      details: { error: error.code, payment_product_type: productType },
    })
    ctx.callbacks.paymentFailed(session, "authorization")
    return { error: "authorization", declineCode: outcome, message: error.message, redirectUrl: checkoutUrl(ctx, session.id) }
  }

  const record = createTransaction(ctx, { session, productType, card: choice.card, requestId })
  const wanted = tokenRequestOf(session.configuration, productType)
  if (wanted.payment || wanted.recurrence) {
    const customerId = typeof session.customer?.customer_id === "string" ? session.customer.customer_id : undefined
    record.tokenRequest = { card: choice.card, ...wanted, customerId }
  }
  session.transactionId = record.tx.id
  if (outcome === "ON_HOLD") putOnHold(ctx, record, requestId)
  else approve(ctx, record, session, requestId, choice.token)
  ctx.callbacks.paymentCompleted(session, record)
  return {
    transactionId: record.tx.id,
    status: record.tx.status,
    redirectUrl: withQuery(returnUrl, { transaction_id: record.tx.id, merchant_reference: reference, session_id: session.id }),
  }
}

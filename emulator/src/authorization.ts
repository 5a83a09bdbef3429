/**
 * The outcome of an authorization, shared by the hosted checkout, merchant-initiated payments
 * and ON_HOLD resolution: AUTHORIZE events, stored tokens, auto-capture and the session state.
 */
import type { EmulatorContext } from "./context"
import { invalidStateChange, notFound } from "./errors"
import type { SessionRecord, TransactionEventError, TransactionRecord } from "./model"
import { rulesOf } from "./payment-products"
import { addSessionEvent } from "./session-view"
import { issueRequestedTokens } from "./tokens"
import { addTransactionEvent } from "./transactions"
import type { StoredToken } from "./types"

/**
 * AUTHORIZED, issuing any tokens the session asked for; CAPTURED at once with `configuration.auto_capture`,
 * and for one-phase products (Swish) whose money moves when the payer approves (payment-products.ts).
 */
export function approve(
  ctx: EmulatorContext,
  record: TransactionRecord,
  session: SessionRecord,
  requestId: string,
  reuseToken?: StoredToken
): void {
  const { tx } = record
  addTransactionEvent(ctx, record, {
    event: "AUTHORIZE",
    transaction_status: "AUTHORIZED",
    amount: tx.amount,
    success: true,
    request_id: requestId,
  })
  issueRequestedTokens(ctx, record, reuseToken)
  if (session.configuration.auto_capture === true || rulesOf(tx.payment_product_type).capturedAtPayment) {
    addTransactionEvent(ctx, record, {
      event: "CAPTURE",
      transaction_status: "CAPTURED",
      amount: tx.amount,
      items: tx.items,
      success: true,
      request_id: requestId,
    })
  }
  addSessionEvent(ctx, session, "AUTHORIZED", { request_id: requestId })
}

/** A declined authorization: status FAILED with the decline in `events[].error` (reference §4). */
export function decline(
  ctx: EmulatorContext,
  record: TransactionRecord,
  session: SessionRecord,
  requestId: string,
  error: TransactionEventError
): void {
  addTransactionEvent(ctx, record, {
    event: "AUTHORIZE",
    transaction_status: "FAILED",
    amount: record.tx.amount,
    success: false,
    error,
    request_id: requestId,
  })
  record.tokenRequest = undefined
  addSessionEvent(ctx, session, "FAILED", { request_id: requestId, details: { error: error.code } })
}

export function putOnHold(ctx: EmulatorContext, record: TransactionRecord, requestId: string): void {
  addTransactionEvent(ctx, record, {
    event: "AUTHORIZE",
    transaction_status: "ON_HOLD",
    amount: record.tx.amount,
    success: true,
    request_id: requestId,
  })
}

/** ON_HOLD later becomes AUTHORIZED or FAILED, and the callback URL hears about it again. */
export function resolveOnHold(ctx: EmulatorContext, transactionId: string, outcome: "AUTHORIZED" | "FAILED", requestId: string): TransactionRecord {
  const record = ctx.state.transactions.get(transactionId)
  if (!record) throw notFound(`Transaction ${transactionId} not found`)
  if (record.tx.status !== "ON_HOLD") throw invalidStateChange(`transaction ${transactionId} is ${record.tx.status}, not ON_HOLD`)
  const session = ctx.state.sessions.get(record.tx.session_id)!
  if (outcome === "AUTHORIZED") {
    approve(ctx, record, session, requestId)
    ctx.callbacks.paymentCompleted(session, record)
  } else {
    decline(ctx, record, session, requestId, {
      code: "DECLINED",
      message: "The payment was rejected after review",
      type: ["DECLINED"],
      retry_policy: { retry_codes: ["DO_NOT_RETRY"] },
    })
    ctx.callbacks.paymentCompleted(session, record)
  }
  return record
}

/**
 * Operations a merchant makes by hand in Dintero's Backoffice rather than through the API: a capture (in
 * full or in part), a refund, a void. Dintero applies them with the same rules as the API's operations
 * (reference §5), records them as transaction events without a capture/refund reference (the merchant's
 * system never named them) and with `created_by` set to the Backoffice user, and reports them to the
 * session's callback_url when it asks for them with `report_event` (payments spec `CallbackUrl`).
 *
 * They are not calls of the merchant's API client, so they do not appear in the API request log: a test can
 * tell from that log that the plugin itself sent nothing.
 */
import type { EmulatorContext } from "./context"
import { badRequest, notFound } from "./errors"
import type { ApiRequest, ApiResponse } from "./http"
import { isObject } from "./http"
import { uuid } from "./ids"
import type { JsonObject, TransactionRecord } from "./model"
import { captureTransaction, refundTransaction, voidTransaction } from "./operations"
import { totals } from "./transactions"

export const BACKOFFICE_USER = "backoffice-user@merchant.example"

export interface BackofficeOperation {
  operation: "capture" | "refund" | "void"
  /** Minor units. A capture defaults to what is left to capture, a refund to what is captured and not refunded. */
  amount?: number
  items?: JsonObject[]
}

export function readBackofficeOperation(body: unknown): BackofficeOperation {
  if (!isObject(body) || !["capture", "refund", "void"].includes(body.operation as string)) {
    throw badRequest('operation must be "capture", "refund" or "void"', "INVALID_REQUEST")
  }
  if (body.amount !== undefined && (!Number.isInteger(body.amount) || (body.amount as number) <= 0)) {
    throw badRequest("amount must be a positive integer amount in minor units", "INVALID_REQUEST")
  }
  if (body.items !== undefined && !Array.isArray(body.items)) throw badRequest("items must be an array", "INVALID_REQUEST")
  return body as unknown as BackofficeOperation
}

/** Applies the operation as Dintero's Backoffice would; refused like the API refuses it (400). */
export function backofficeOperation(ctx: EmulatorContext, transactionId: string, op: BackofficeOperation): ApiResponse {
  const record = ctx.state.transactions.get(transactionId)
  if (!record) throw notFound(`Transaction ${transactionId} not found`)
  const rq: ApiRequest = {
    requestId: uuid(),
    method: "POST",
    path: `/v1/transactions/${transactionId}/${op.operation}`,
    query: new URLSearchParams(),
    headers: {},
    body: op.operation === "void" ? undefined : { amount: op.amount ?? defaultAmount(record, op.operation), ...(op.items ? { items: op.items } : {}) },
    params: { id: transactionId },
    accountId: record.accountId,
  }
  const before = record.tx.events.length
  const apply = { capture: captureTransaction, refund: refundTransaction, void: voidTransaction }[op.operation]
  const response = apply(ctx, rq)
  // An operation answered 202 (asyncOperations) completes later with an event of its own, left unmarked.
  record.tx.events.slice(before).forEach((event) => Object.assign(event, { created_by: BACKOFFICE_USER }))
  return response
}

function defaultAmount(record: TransactionRecord, operation: "capture" | "refund"): number {
  const { capturable, captured, refunded } = totals(record.tx)
  return operation === "capture" ? capturable : captured - refunded
}

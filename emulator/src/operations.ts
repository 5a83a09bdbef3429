/**
 * Capture, refund and void (reference §5 "Operations"). Captures and refunds may be partial and
 * repeated; refunds need a capture first; a void releases an authorization that nothing was captured
 * from, and after a partial capture only for the products that allow it. A capture with `final_capture`
 * records the CAPTURE, then a VOID of the rest: the transaction is CAPTURED and nothing more can be captured.
 * What each payment product allows (which operations exist, items required, partial capture, void after a
 * part-capture, final_capture) is read from payment-products.ts, the one table of those rules.
 */
import type { EmulatorContext } from "./context"
import { ApiError, badRequest, invalidStateChange } from "./errors"
import { isObject, json, type ApiRequest, type ApiResponse } from "./http"
import { uuid } from "./ids"
import type { JsonObject, TransactionRecord } from "./model"
import {
  addTransactionEvent,
  findTransaction,
  renderTransaction,
  settledStatus,
  totals,
} from "./transactions"
import { Problems } from "./validation"
import { rulesOf } from "./payment-products"

type OperationKind = "CAPTURE" | "REFUND" | "VOID"

interface Operation {
  kind: OperationKind
  amount: number
  items?: JsonObject[]
  eventReference?: string
  /** dintero_psp `final_capture`: release what is left after this capture. */
  finalCapture?: boolean
}

const INT32_MAX = 2 ** 31 - 1


const invalidAmount = (message: string) => new ApiError(400, "INVALID_AMOUNT", message)
/** A product that does not have the operation (or the option) asked for. */
const notSupported = (message: string) => new ApiError(400, "OPERATION_NOT_SUPPORTED", message)

function pendingAmount(record: TransactionRecord, kind: OperationKind): number {
  return record.pending.filter((op) => op.kind === kind).reduce((sum, op) => sum + op.amount, 0)
}

/**
 * Validates `amount`, the optional reference and `items`. Items name lines of the transaction, once each, and
 * add up to `amount` (Dintero's WooCommerce plugin adds a rounding line to its capture items for exactly
 * that). How much of each line an operation may take is not documented and not checked (README).
 */
function readOperationBody(
  record: TransactionRecord,
  body: unknown,
  kind: "CAPTURE" | "REFUND",
  referenceField: "capture_reference" | "refund_reference"
): Operation & { body: JsonObject } {
  if (!isObject(body)) throw badRequest("A JSON body with amount is required", "INVALID_REQUEST")
  const p = new Problems()
  if (body.amount === undefined) p.add("amount", "is required")
  else if (!Number.isInteger(body.amount) || (body.amount as number) <= 0) {
    p.add("amount", "must be a positive integer amount in minor units")
  }
  if (body[referenceField] !== undefined && typeof body[referenceField] !== "string") p.add(referenceField, "must be a string")
  if (body.items !== undefined && !Array.isArray(body.items)) p.add("items", "must be an array")
  const items = Array.isArray(body.items) ? body.items : undefined
  const lineIds = new Set(record.tx.items.map((item) => item.line_id))
  const named = new Set<string>()
  items?.forEach((item, i) => {
    if (!isObject(item)) return p.add(`items[${i}]`, "must be an object")
    if (typeof item.line_id !== "string") p.add(`items[${i}].line_id`, "is required")
    else if (!lineIds.has(item.line_id)) p.add(`items[${i}].line_id`, `"${item.line_id}" is not an item of the transaction`)
    // OrderItem.line_id "must be unique between all items" (payments spec): one entry per line.
    else if (named.has(item.line_id)) p.add(`items[${i}].line_id`, `"${item.line_id}" is listed twice`)
    if (typeof item.line_id === "string") named.add(item.line_id)
    // int32 minor units; negative is allowed (gift_card lines are "usually a negative number").
    if (!Number.isInteger(item.amount) || Math.abs(item.amount as number) > INT32_MAX) {
      p.add(`items[${i}].amount`, "must be an integer amount in minor units")
    }
    if (item.quantity !== undefined && typeof item.quantity !== "number") p.add(`items[${i}].quantity`, "must be a number")
  })
  p.throwIfAny()
  const rules = rulesOf(record.tx.payment_product_type)
  if (rules.itemsRequired && !items?.length) {
    // payments spec: "items is required when capturing [refunding] a transaction with payment_product=instabank";
    // Collector needs the order's lines (line_id) too.
    throw badRequest(
      `items is required to ${kind === "CAPTURE" ? "capture" : "refund"} a ${record.tx.payment_product_type} transaction: list the lines with line_id, quantity and amount`,
      "INVALID_REQUEST"
    )
  }
  if (items?.length) {
    const sum = items.reduce((total: number, item) => total + (item as { amount: number }).amount, 0)
    if (sum !== body.amount) throw invalidAmount(`The items add up to ${sum}, not to amount ${body.amount}`)
  }
  const eventReference = body[referenceField] as string | undefined
  return { kind, amount: body.amount as number, items, eventReference, body }
}

/** Applies the operation now (200), or records INITIATE_* and completes it later (202). */
function perform(ctx: EmulatorContext, record: TransactionRecord, op: Operation, requestId: string): ApiResponse {
  if (!ctx.state.asyncOperations) {
    complete(ctx, record, op, requestId)
    return json(200, renderTransaction(ctx, record))
  }
  record.pending.push({ kind: op.kind, amount: op.amount, requestId })
  addTransactionEvent(ctx, record, {
    event: `INITIATE_${op.kind}`,
    amount: op.amount,
    ...(op.items ? { items: op.items } : {}),
    ...(op.eventReference ? { event_reference: op.eventReference } : {}),
    success: true,
    request_id: requestId,
  })
  ctx.schedule(() => {
    record.pending = record.pending.filter((pending) => pending.requestId !== requestId)
    complete(ctx, record, op, uuid(), requestId)
  }, ctx.options.asyncOperationDelayMs)
  return json(202, renderTransaction(ctx, record), { "event-request-id": requestId })
}

function complete(ctx: EmulatorContext, record: TransactionRecord, op: Operation, requestId: string, correlationId?: string): void {
  const event = addTransactionEvent(ctx, record, {
    event: op.kind,
    amount: op.amount,
    ...(op.items ? { items: op.items } : {}),
    ...(op.eventReference ? { event_reference: op.eventReference } : {}),
    success: true,
    request_id: requestId,
    ...(correlationId ? { correlation_request_id: correlationId } : {}),
  })
  // The status follows from the amounts once the event is recorded.
  const voidedBeforeCapture = op.kind === "VOID" && totals(record.tx).captured === 0
  event.transaction_status = record.tx.status = voidedBeforeCapture ? "AUTHORIZATION_VOIDED" : settledStatus(record.tx)
  const remainder = totals(record.tx).capturable
  if (op.finalCapture && remainder > 0) {
    const release = addTransactionEvent(ctx, record, { event: "VOID", amount: remainder, success: true, request_id: requestId })
    release.transaction_status = record.tx.status = settledStatus(record.tx)
  }
  ctx.callbacks.transactionEvent(record, op.kind, event.id)
}

/**
 * A transaction of a zero-amount token session (payment-token-sessions.ts, `payment_operation`
 * `generate_payment_token`) only created a token: "without reserving or charging any amount" (docs
 * /docs/checkout/tokenization-create-token). There is nothing to capture and nothing to refund; the token is
 * charged with POST /v1/sessions/pay.
 */
function refuseTokenOnly(record: TransactionRecord, operation: "capture" | "refund"): void {
  if (record.tx.payment_operation === "generate_payment_token") {
    throw invalidStateChange(
      `cannot ${operation} transaction ${record.tx.id}: it only generated a payment token (amount 0), nothing was reserved or charged; charge the token with /v1/sessions/pay`
    )
  }
}

export function captureTransaction(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const record = findTransaction(ctx, rq.accountId, rq.params.id)
  refuseTokenOnly(record, "capture")
  const op = readOperationBody(record, rq.body, "CAPTURE", "capture_reference")
  const finalCapture = op.body.final_capture
  const { tx } = record
  const rules = rulesOf(tx.payment_product_type)
  if (rules.capturedAtPayment) {
    throw notSupported(`${tx.payment_product_type} payments are captured when paid: there is nothing to capture`)
  }
  if (!["AUTHORIZED", "PARTIALLY_CAPTURED", "PARTIALLY_CAPTURED_REFUNDED"].includes(tx.status)) {
    throw invalidStateChange(`cannot capture a transaction with status ${tx.status}`)
  }
  const remaining = totals(tx).capturable - pendingAmount(record, "CAPTURE")
  if (op.amount > remaining) {
    throw invalidAmount(`Capture amount ${op.amount} exceeds the remaining authorized amount ${remaining}`)
  }
  if (finalCapture !== undefined && typeof finalCapture !== "boolean") {
    throw badRequest("final_capture must be a boolean", "INVALID_REQUEST")
  }
  if (finalCapture && !rules.finalCapture) {
    throw badRequest(`final_capture is only supported for dintero_psp payments, not ${tx.payment_product_type}`, "INVALID_REQUEST")
  }
  if (!rules.partialCapture && (op.amount !== remaining || totals(tx).captured > 0)) {
    throw notSupported(`${tx.payment_product_type} does not support partial capture: capture the whole ${remaining}`)
  }
  return perform(ctx, record, { ...op, finalCapture: finalCapture === true }, rq.requestId)
}

export function refundTransaction(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const record = findTransaction(ctx, rq.accountId, rq.params.id)
  refuseTokenOnly(record, "refund")
  const op = readOperationBody(record, rq.body, "REFUND", "refund_reference")
  if (op.body.reason !== undefined && typeof op.body.reason !== "string") throw badRequest("reason must be a string", "INVALID_REQUEST")
  const { tx } = record
  const { captured, refunded } = totals(tx)
  if (captured === 0) throw invalidStateChange(`cannot refund a transaction with status ${tx.status}: nothing is captured`)
  const refundable = captured - refunded - pendingAmount(record, "REFUND")
  if (refundable <= 0) throw invalidStateChange(`cannot refund a transaction with status ${tx.status}: everything captured is refunded`)
  if (op.amount > refundable) {
    throw invalidAmount(`Refund amount ${op.amount} exceeds the captured amount not yet refunded (${refundable})`)
  }
  return perform(ctx, record, op, rq.requestId)
}

export function voidTransaction(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const record = findTransaction(ctx, rq.accountId, rq.params.id)
  return perform(ctx, record, voidOperation(record), rq.requestId)
}

/** What a void of the transaction releases, or a 400 when it may not be voided. */
export function voidOperation(record: TransactionRecord): Operation {
  const { tx } = record
  if (record.pending.length) throw invalidStateChange("another operation on the transaction is still being processed")
  const rules = rulesOf(tx.payment_product_type)
  if (!rules.voidable) {
    // Dintero's WooCommerce plugin refunds Swish orders on cancel: "we need to refund instead of cancel".
    throw notSupported(`${tx.payment_product_type} payments cannot be voided: refund what was captured instead`)
  }
  const { captured, capturable } = totals(tx)
  if ((tx.status === "AUTHORIZED" || tx.status === "ON_HOLD") && captured === 0) {
    return { kind: "VOID", amount: tx.amount }
  }
  // "Void after a part-capture releases the uncaptured remainder", for the listed products only
  // (reference §5). A refund of the captured part does not change what is left to release.
  if (["PARTIALLY_CAPTURED", "PARTIALLY_CAPTURED_REFUNDED"].includes(tx.status) && capturable > 0) {
    if (rules.voidAfterPartCapture) return { kind: "VOID", amount: capturable }
    throw invalidStateChange(
      `cannot void a transaction with status ${tx.status}: ${tx.payment_product_type} does not support releasing the rest after a partial capture`
    )
  }
  throw invalidStateChange(`cannot void a transaction with status ${tx.status}`)
}

/** Voids without an HTTP request (session cancel). */
export function voidNow(ctx: EmulatorContext, record: TransactionRecord, requestId: string): void {
  complete(ctx, record, voidOperation(record), requestId)
}

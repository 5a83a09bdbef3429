/**
 * Transactions (reference §5): creation from a paid session, reading with `includes`,
 * searching (bare array, newest first) and PUT of `merchant_reference_2`.
 */
import { assertOwnedBy, requireAccount } from "./auth"
import type { EmulatorContext } from "./context"
import { badRequest, notFound } from "./errors"
import { clone, isObject, json, type ApiRequest, type ApiResponse } from "./http"
import { resourceId, uuid } from "./ids"
import type { JsonObject, OrderItem, PaymentCard, SessionRecord, Transaction, TransactionEvent, TransactionRecord } from "./model"
import { rulesOf, type PaymentProductType } from "./payment-products"
import type { TransactionStatus } from "./types"

/** The shipping option becomes an item of the transaction (docs /docs/checkout/after-payment). */
export function transactionItems(session: SessionRecord): OrderItem[] {
  const items = clone(session.order.items ?? [])
  const shipping = session.order.shipping_option
  if (shipping) {
    items.push({
      id: shipping.id,
      line_id: shipping.line_id,
      description: shipping.title,
      quantity: 1,
      amount: shipping.amount,
      ...(shipping.vat_amount !== undefined ? { vat_amount: shipping.vat_amount } : {}),
      ...(shipping.vat !== undefined ? { vat: shipping.vat } : {}),
      type: "shipping",
    })
  }
  return items
}

export interface NewTransaction {
  session: SessionRecord
  productType: PaymentProductType
  /** Card products only. */
  card?: PaymentCard
  requestId: string
  paymentOperation?: string
}

export function createTransaction(ctx: EmulatorContext, input: NewTransaction): TransactionRecord {
  const { session, card } = input
  const now = ctx.nowIso()
  const customer = session.customer ? clone(session.customer) : undefined
  if (customer) delete customer.tokens
  const { shipping_address: shippingAddress, billing_address: billingAddress } = session.order as { shipping_address?: JsonObject; billing_address?: JsonObject }
  // The payer of an express checkout gives email and phone with the address; the transaction's customer has them.
  const contact = billingAddress ?? shippingAddress
  const withContact: JsonObject | undefined = contact && (contact.email || contact.phone_number)
    ? { ...(customer ?? {}), ...(customer?.email === undefined && contact.email ? { email: contact.email } : {}), ...(customer?.phone_number === undefined && contact.phone_number ? { phone_number: contact.phone_number } : {}) }
    : customer
  const tx: Transaction = {
    id: resourceId(session.accountId),
    session_id: session.id,
    merchant_reference: session.order.merchant_reference,
    ...(session.order.merchant_reference_2 ? { merchant_reference_2: session.order.merchant_reference_2 } : {}),
    amount: session.order.amount,
    currency: session.order.currency,
    status: "INITIATED",
    payment_product: rulesOf(input.productType).product,
    payment_product_type: input.productType,
    ...(input.paymentOperation ? { payment_operation: input.paymentOperation } : {}),
    items: transactionItems(session),
    ...(session.order.shipping_option ? { shipping_option: clone(session.order.shipping_option) } : {}),
    ...(withContact ? { customer: withContact } : {}),
    ...(shippingAddress ? { shipping_address: clone(shippingAddress) } : {}),
    ...(billingAddress ? { billing_address: clone(billingAddress) } : {}),
    ...(card ? { card: { brand: card.brand, masked_pan: card.masked_pan, expiry_date: card.expiry_date, type: "Credit", country: "NOR" } } : {}),
    url: session.url.callback_url ? { callback_url: session.url.callback_url } : {},
    metadata: clone(session.metadata),
    created_at: now,
    updated_at: now,
    events: [],
  }
  const record: TransactionRecord = { seq: ctx.state.nextSeq(), accountId: session.accountId, tx, pending: [] }
  ctx.state.transactions.set(tx.id, record)
  return record
}

export function addTransactionEvent(
  ctx: EmulatorContext,
  record: TransactionRecord,
  event: Omit<TransactionEvent, "id" | "created_at" | "transaction_status"> & { transaction_status?: TransactionStatus }
): TransactionEvent {
  const full: TransactionEvent = {
    id: uuid(),
    ...event,
    transaction_status: event.transaction_status ?? record.tx.status,
    created_at: ctx.nowIso(),
  }
  record.tx.status = full.transaction_status
  record.tx.events.push(full)
  record.tx.updated_at = full.created_at
  return full
}

/** Captured, refunded and released amounts, from the successful events. */
export function totals(tx: Transaction) {
  const sum = (name: string) =>
    tx.events.filter((e) => e.event === name && e.success).reduce((total, e) => total + (e.amount ?? 0), 0)
  const captured = sum("CAPTURE")
  const refunded = sum("REFUND")
  // A void after a partial capture releases the remainder (payex), so it can no longer be captured.
  const released = sum("VOID")
  return { captured, refunded, released, capturable: tx.amount - released - captured }
}

/** The status a transaction has after captures and refunds. */
export function settledStatus(tx: Transaction): TransactionStatus {
  const { captured, refunded, capturable } = totals(tx)
  if (captured === 0) return "AUTHORIZED"
  if (refunded === 0) return capturable > 0 ? "PARTIALLY_CAPTURED" : "CAPTURED"
  if (capturable > 0) return "PARTIALLY_CAPTURED_REFUNDED"
  return refunded >= captured ? "REFUNDED" : "PARTIALLY_REFUNDED"
}

export function findTransaction(ctx: EmulatorContext, accountId: string | undefined, id: string): TransactionRecord {
  assertOwnedBy(accountId, id)
  const record = ctx.state.transactions.get(id)
  if (!record) throw notFound(`Transaction ${id} not found`)
  return record
}

/** Token values only appear with `includes=card.payment_token` / `card.recurrence_token` (reference §3). */
export function renderTransaction(ctx: EmulatorContext, record: TransactionRecord, includes: string[] = []): Transaction {
  const tx = clone(record.tx)
  if (tx.card) {
    for (const kind of ["payment_token", "recurrence_token"] as const) {
      const tokenId = tx.card[`${kind}_id`]
      if (tokenId && includes.includes(`card.${kind}`)) tx.card[kind] = ctx.state.tokens.get(tokenId)?.token
    }
  }
  return tx
}

export function getTransaction(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const record = findTransaction(ctx, rq.accountId, rq.params.id)
  return json(200, renderTransaction(ctx, record, rq.query.getAll("includes")))
}

export function updateTransaction(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const record = findTransaction(ctx, rq.accountId, rq.params.id)
  const body = rq.body
  if (!isObject(body) || typeof body.merchant_reference_2 !== "string") {
    throw badRequest("merchant_reference_2 is required and must be a string", "INVALID_REQUEST")
  }
  const unknown = Object.keys(body).filter((key) => key !== "merchant_reference_2")
  if (unknown.length) throw badRequest(`Only merchant_reference_2 can be updated, not ${unknown.join(", ")}`, "INVALID_REQUEST")
  record.tx.merchant_reference_2 = body.merchant_reference_2
  record.tx.updated_at = ctx.nowIso()
  return json(200, renderTransaction(ctx, record))
}

const LIST_FILTERS: Array<[string, (tx: Transaction, values: string[]) => boolean]> = [
  ["id", (tx, v) => v.includes(tx.id)],
  ["merchant_reference", (tx, v) => v.includes(tx.merchant_reference)],
  ["merchant_reference_2", (tx, v) => v.includes(tx.merchant_reference_2 ?? "")],
  ["session_id", (tx, v) => v.includes(tx.session_id)],
  ["status", (tx, v) => v.includes(tx.status)],
  ["customer_id", (tx, v) => v.includes(String(tx.customer?.customer_id ?? ""))],
  ["payment_operation", (tx, v) => v.includes(tx.payment_operation ?? "")],
  ["payment_product", (tx, v) => v.includes(tx.payment_product)],
  ["payment_product_type", (tx, v) => v.includes(tx.payment_product_type)],
  ["currency", (tx, v) => v.includes(tx.currency)],
  ["token_id", (tx, v) => v.some((id) => id === tx.card?.payment_token_id || id === tx.card?.recurrence_token_id)],
  ["search", (tx, v) => v.every((term) => searchable(tx).some((field) => field.includes(term)))],
]

function searchable(tx: Transaction): string[] {
  return [
    tx.id,
    tx.session_id,
    tx.merchant_reference,
    tx.merchant_reference_2,
    tx.customer?.email,
    tx.customer?.phone_number,
    tx.card?.payment_token_id,
  ].filter((field): field is string => typeof field === "string")
}

export function listTransactions(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const accountId = requireAccount(rq)
  const limit = rq.query.has("limit") ? Number(rq.query.get("limit")) : 10
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw badRequest("limit must be an integer between 1 and 100", "INVALID_REQUEST")
  }
  // Both `status=A&status=B` and `status=A,B` select several values.
  const values = (key: string) => rq.query.getAll(key).flatMap((v) => (key === "search" ? [v] : v.split(",")))
  let matches = [...ctx.state.transactions.values()]
    .filter((record) => record.accountId === accountId)
    .filter((record) => LIST_FILTERS.every(([key, test]) => !rq.query.has(key) || test(record.tx, values(key))))
    .sort((a, b) => b.tx.created_at.localeCompare(a.tx.created_at) || b.seq - a.seq)
  const startingAfter = rq.query.get("starting_after")
  if (startingAfter) {
    const index = matches.findIndex((record) => record.tx.id === startingAfter)
    if (index < 0) throw badRequest(`starting_after ${startingAfter} is not in the result set`, "INVALID_REQUEST")
    matches = matches.slice(index + 1)
  }
  return json(200, matches.slice(0, limit).map((record) => renderTransaction(ctx, record)))
}

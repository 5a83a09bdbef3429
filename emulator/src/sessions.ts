/**
 * Checkout sessions (reference §2): POST /v1/sessions-profile, GET and PUT /v1/sessions/{id},
 * POST /v1/sessions/{id}/cancel.
 */
import { requireAccount } from "./auth"
import type { EmulatorContext } from "./context"
import { ApiError, badRequest, invalidStateChange } from "./errors"
import { clone, featureToggles, isObject, json, type ApiRequest, type ApiResponse } from "./http"
import { validateExpress, validateShippingOptions } from "./express"
import { resourceId } from "./ids"
import type { JsonObject, SessionOrder, SessionRecord } from "./model"
import { voidNow } from "./operations"
import { addSessionEvent, checkoutUrl, findSession, renderSession } from "./session-view"
import { resolveSessionTokens, validateTokenConfiguration } from "./tokens"
import {
  checkAmountsAddUp,
  Problems,
  validateCustomer,
  validateExpiresAt,
  validateOrder,
  validateUrls,
} from "./validation"

const KNOWN_FIELDS = ["profile_id", "url", "order", "customer", "configuration", "metadata", "expires_at"]

function checkObject(p: Problems, path: string, value: unknown): void {
  if (value !== undefined && !isObject(value)) p.add(path, "must be an object")
}

export function createSession(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const accountId = requireAccount(rq)
  const body = rq.body
  if (!isObject(body)) throw badRequest("A JSON session body is required", "INVALID_REQUEST")
  const p = new Problems()
  if (typeof body.profile_id !== "string" || !body.profile_id) p.add("profile_id", "is required")
  validateUrls(p, body.url, true)
  validateOrder(p, body.order)
  validateCustomer(p, body.customer)
  validateExpiresAt(p, body.expires_at, ctx.now())
  checkObject(p, "configuration", body.configuration)
  checkObject(p, "metadata", body.metadata)
  if (isObject(body.configuration)) validateTokenConfiguration(p, body.configuration)
  validateExpress(p, body.express, body.order)
  p.throwIfAny()

  const profileId = body.profile_id as string
  if (!ctx.account(accountId)?.profiles.includes(profileId)) {
    throw new ApiError(404, "NOT_FOUND", `Payment profile "${profileId}" not found for account ${accountId}`)
  }
  const order = clone(body.order) as SessionOrder
  // An express checkout computes the total from the lines and the chosen shipping option, so it must add up.
  if (featureToggles(rq).has("strict-session-amounts") || body.express !== undefined) checkAmountsAddUp(order)
  const customer = isObject(body.customer) ? clone(body.customer) : undefined
  const customerTokens = resolveSessionTokens(ctx, accountId, customer?.tokens)
  if (customer) delete customer.tokens

  const now = ctx.now()
  const extra: JsonObject = {}
  for (const [key, value] of Object.entries(body)) if (!KNOWN_FIELDS.includes(key)) extra[key] = clone(value)
  const session: SessionRecord = {
    id: resourceId(accountId),
    accountId,
    origin: "checkout",
    profileId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    // Dintero does not document the default lifetime; the emulator uses 24 hours (sessionTtlSeconds).
    expiresAt: (body.expires_at as string | undefined) ?? new Date(now.getTime() + ctx.options.sessionTtlSeconds * 1000).toISOString(),
    url: clone(body.url) as SessionRecord["url"],
    order,
    customer,
    customerTokens,
    configuration: isObject(body.configuration) ? clone(body.configuration) : {},
    metadata: isObject(body.metadata) ? clone(body.metadata) : {},
    extra,
    events: [],
  }
  addSessionEvent(ctx, session, "INITIATED", { request_id: rq.requestId })
  ctx.state.sessions.set(session.id, session)
  const created = { id: session.id, url: checkoutUrl(ctx, session.id) }
  const includeSession = rq.query.get("include_session") === "true"
  // checkout_session_profile_post documents 200 (SessionCreated), not 201.
  return json(200, includeSession ? { ...created, session: renderSession(session) } : created)
}

export function getSession(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  return json(200, renderSession(findSession(ctx, rq.accountId, rq.params.id)))
}

/**
 * PUT needs a session the payer's side has locked (Web SDK lockSession(), which answers SessionLocked), or
 * `?update_without_lock=true` for server-side updates before the checkout renders (reference §2).
 * `remove_lock` (default true) releases the lock after the update, so the payer can pay again.
 */
export function updateSession(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const session = findSession(ctx, rq.accountId, rq.params.id)
  if (session.transactionId) throw invalidStateChange("the session is already paid")
  if (session.cancelledAt) throw invalidStateChange("the session is cancelled")
  if (rq.query.get("update_without_lock") !== "true" && !session.payLock) {
    throw badRequest(
      "The session is not locked; lock it with the Web SDK (lockSession) or pass ?update_without_lock=true",
      "SESSION_NOT_LOCKED"
    )
  }
  const body = rq.body
  if (!isObject(body) || !isObject(body.order)) throw badRequest("order is required", "INVALID_REQUEST")
  if (body.remove_lock !== undefined && typeof body.remove_lock !== "boolean") {
    throw badRequest("remove_lock must be a boolean", "INVALID_REQUEST")
  }
  const p = new Problems()
  // The body is UpdateSessionOptions, whose order is a SessionOrderUpdate: it has no merchant_reference,
  // which is fixed when the session is created (payments spec, checkout_session_put). Refused rather than
  // ignored, so a client that believes it can change the reference learns that it cannot.
  if (body.order.merchant_reference !== undefined) {
    p.add("order.merchant_reference", "cannot be updated: it is not part of SessionOrderUpdate")
  }
  // The update replaces the order (items, shipping, amounts); the merchant reference stays as created.
  const updated: JsonObject = {
    currency: session.order.currency,
    ...clone(body.order),
    merchant_reference: session.order.merchant_reference,
  }
  validateOrder(p, updated)
  // `express` may replace the shipping options (UpdateSessionOptions.express); only on express sessions.
  const express = isObject(session.extra.express) ? session.extra.express : undefined
  if (body.express !== undefined) {
    if (!express) p.add("express", "cannot be set on a session created without express")
    else if (!isObject(body.express)) p.add("express", "must be an object")
    else if (body.express.shipping_options !== undefined) validateShippingOptions(p, "express.shipping_options", body.express.shipping_options)
  }
  p.throwIfAny()
  checkAmountsAddUp(updated as SessionOrder)
  if (express && isObject(body.express) && body.express.shipping_options !== undefined) {
    express.shipping_options = clone(body.express.shipping_options)
  }
  // The payer's address and discount codes stay unless the update sets them.
  for (const field of ["shipping_address", "billing_address", "discount_codes"]) {
    if (updated[field] === undefined && session.order[field] !== undefined) updated[field] = clone(session.order[field])
  }
  if (body.remove_lock !== false) delete session.payLock
  const previous = session.order
  session.order = updated as SessionOrder
  addSessionEvent(ctx, session, "UPDATE_SESSION", {
    request_id: rq.requestId,
    details: { previous_order: previous, updated_order: clone(session.order) },
  })
  return json(200, renderSession(session))
}

/** Voids the session's transaction when it is INITIATED or AUTHORIZED; other states are refused. */
export function cancelSession(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const session = findSession(ctx, rq.accountId, rq.params.id)
  if (session.cancelledAt) throw invalidStateChange("the session is already cancelled")
  const record = session.transactionId ? ctx.state.transactions.get(session.transactionId) : undefined
  if (record) {
    if (record.tx.status !== "INITIATED" && record.tx.status !== "AUTHORIZED") {
      throw invalidStateChange(`cannot cancel a session whose transaction is ${record.tx.status}`)
    }
    voidNow(ctx, record, rq.requestId)
  }
  markCancelled(ctx, session, rq.clientId ?? rq.accountId ?? "merchant", rq.requestId)
  return json(200, renderSession(session))
}

export function markCancelled(ctx: EmulatorContext, session: SessionRecord, by: string, requestId?: string): void {
  session.cancelledAt = ctx.nowIso()
  session.cancelledBy = by
  addSessionEvent(ctx, session, "CANCELLED", requestId ? { request_id: requestId } : {})
}

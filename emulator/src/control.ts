/**
 * The test-only control API under /__emulator (JSON). It exposes the same operations as the
 * programmatic API and is never subject to injected faults or latency.
 */
import { expireAccessTokens } from "./auth"
import { resolveOnHold } from "./authorization"
import { backofficeOperation, readBackofficeOperation } from "./backoffice"
import { payAsPayer } from "./checkout"
import type { EmulatorContext } from "./context"
import { badRequest } from "./errors"
import { addFault } from "./faults"
import { lockSession, setDiscountCodes, setShippingAddress, setShippingOption, unlockSession } from "./express"
import { clone, isObject, json, type ApiRequest } from "./http"
import { uuid } from "./ids"
import type { Router } from "./router"
import { renderSession } from "./session-view"
import { revokeToken, setTokenOutcomes } from "./tokens"
import { renderTransaction } from "./transactions"
import type { PayOptions } from "./types"

export const sessionsSnapshot = (ctx: EmulatorContext) =>
  [...ctx.state.sessions.values()].map((session) => renderSession(session))

export const transactionsSnapshot = (ctx: EmulatorContext) =>
  [...ctx.state.transactions.values()].map((record) => renderTransaction(ctx, record))

export const tokensSnapshot = (ctx: EmulatorContext) => clone([...ctx.state.tokens.values()])

/** Clears all state, pending callbacks and timers; options (accounts, secrets) stay. */
export function resetEmulator(ctx: EmulatorContext): void {
  ctx.clearTimers()
  ctx.callbacks.abortAll()
  ctx.state.reset()
}

function body(rq: ApiRequest): Record<string, unknown> {
  return isObject(rq.body) ? rq.body : {}
}

export function registerControlRoutes(router: Router, ctx: EmulatorContext): void {
  router
    .on("POST", "/__emulator/reset", () => {
      resetEmulator(ctx)
      return json(200, { reset: true })
    })
    .on("GET", "/__emulator/state", () =>
      json(200, {
        sessions: sessionsSnapshot(ctx),
        transactions: transactionsSnapshot(ctx),
        tokens: tokensSnapshot(ctx),
        access_tokens_issued: ctx.state.accessTokensIssued,
        faults: clone(ctx.state.faults),
        latency_ms: ctx.state.latencyMs,
      })
    )
    .on("GET", "/__emulator/requests", () => json(200, clone(ctx.state.requests)))
    .on("GET", "/__emulator/callbacks", () => json(200, clone(ctx.state.callbackAttempts)))
    .on("GET", "/__emulator/charges", () => json(200, clone(ctx.state.charges)))
    .on("POST", "/__emulator/faults", (rq) => {
      const faults = Array.isArray(rq.body) ? rq.body : [rq.body]
      return json(201, { faults: faults.map((fault) => addFault(ctx.state, fault)) })
    })
    .on("DELETE", "/__emulator/faults", () => {
      ctx.state.faults = []
      return json(200, { faults: [] })
    })
    .on("POST", "/__emulator/latency", (rq) => {
      const ms = body(rq).ms
      if (!Number.isInteger(ms) || (ms as number) < 0) throw badRequest("ms must be a non-negative integer", "INVALID_REQUEST")
      ctx.state.latencyMs = ms as number
      return json(200, { latency_ms: ms })
    })
    .on("POST", "/__emulator/async-operations", (rq) => {
      ctx.state.asyncOperations = body(rq).enabled === true
      return json(200, { async_operations: ctx.state.asyncOperations })
    })
    .on("POST", "/__emulator/callbacks/hold", (rq) => {
      const enabled = body(rq).enabled === true
      ctx.callbacks.hold(enabled)
      return json(200, { holding_callbacks: enabled })
    })
    .on("POST", "/__emulator/sessions/:id/pay", (rq) => {
      const result = payAsPayer(ctx, rq.params.id, body(rq) as PayOptions)
      return json(200, result)
    })
    // Checkout Express, as the payer (express.ts). The merchant's callbacks are in GET /__emulator/callbacks.
    .on("POST", "/__emulator/sessions/:id/express/shipping-address", async (rq) =>
      json(200, await setShippingAddress(ctx, rq.params.id, body(rq).shipping_address))
    )
    .on("POST", "/__emulator/sessions/:id/express/shipping-option", (rq) => {
      const choice = body(rq)
      return json(200, { session: setShippingOption(ctx, rq.params.id, { id: choice.id, line_id: choice.line_id }) })
    })
    .on("POST", "/__emulator/sessions/:id/express/discount-codes", async (rq) =>
      json(200, await setDiscountCodes(ctx, rq.params.id, body(rq).discount_codes))
    )
    .on("POST", "/__emulator/sessions/:id/lock", (rq) => json(200, lockSession(ctx, rq.params.id)))
    .on("POST", "/__emulator/sessions/:id/unlock", (rq) => json(200, unlockSession(ctx, rq.params.id)))
    .on("POST", "/__emulator/transactions/:id/resolve", (rq) => {
      const status = body(rq).status
      if (status !== "AUTHORIZED" && status !== "FAILED") throw badRequest('status must be "AUTHORIZED" or "FAILED"', "INVALID_REQUEST")
      const record = resolveOnHold(ctx, rq.params.id, status, uuid())
      return json(200, renderTransaction(ctx, record))
    })
    // What a merchant does by hand in Dintero's Backoffice: { operation: "capture"|"refund"|"void", amount?, items? }.
    .on("POST", "/__emulator/transactions/:id/backoffice", (rq) =>
      backofficeOperation(ctx, rq.params.id, readBackofficeOperation(rq.body))
    )
    .on("POST", "/__emulator/tokens/:token/outcomes", (rq) => json(200, clone(setTokenOutcomes(ctx, rq.params.token, body(rq).outcomes))))
    .on("POST", "/__emulator/tokens/:token/revoke", (rq) => json(200, clone(revokeToken(ctx, rq.params.token))))
    .on("POST", "/__emulator/auth/expire", () => {
      expireAccessTokens(ctx)
      return json(200, { expired: true })
    })
}

/**
 * The HTTP server: routes /v1 API calls (auth guard, faults, latency, request log), the hosted
 * checkout pages and the /__emulator control API. Every response carries a `request-id` header.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http"
import { createSignatureSecret, getSignatureSecret } from "./admin"
import { authenticate, handleTokenRequest } from "./auth"
import type { EmulatorContext } from "./context"
import { registerControlRoutes } from "./control"
import { ApiError, errorBody } from "./errors"
import { actOut, describeFault, takeFault } from "./faults"
import { header, parseBody, queryToObject, readRawBody, send, type ApiRequest, type ApiResponse } from "./http"
import { uuid } from "./ids"
import { captureTransaction, refundTransaction, voidTransaction } from "./operations"
import { payWithToken } from "./pay"
import { createPaymentTokenSession } from "./payment-token-sessions"
import { Router } from "./router"
import { cancelSession, createSession, getSession, updateSession } from "./sessions"
import { getTransaction, listTransactions, updateTransaction } from "./transactions"
import { embedResult, lockFromPage, submitExpress, submitPayment, viewRoot, viewSession } from "./view"

const REDACTED_HEADERS = new Set(["authorization", "x-api-key"])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function buildRouters(ctx: EmulatorContext) {
  const bind = (fn: (c: EmulatorContext, rq: ApiRequest) => ApiResponse) => (rq: ApiRequest) => fn(ctx, rq)
  // Endpoints that authenticate themselves (Basic credentials, x-api-key).
  const open = new Router()
    .on("POST", "/v1/accounts/:aid/auth/token", bind(handleTokenRequest))
    .on("POST", "/v1/admin/signature", bind(createSignatureSecret))
    .on("GET", "/v1/admin/signature", bind(getSignatureSecret))
  const api = new Router()
    .on("POST", "/v1/sessions-profile", bind(createSession))
    .on("POST", "/v1/sessions/pay", bind(payWithToken))
    .on("POST", "/v1/sessions/payment-token", bind(createPaymentTokenSession))
    .on("GET", "/v1/sessions/:id", bind(getSession))
    .on("PUT", "/v1/sessions/:id", bind(updateSession))
    .on("POST", "/v1/sessions/:id/cancel", bind(cancelSession))
    .on("GET", "/v1/transactions", bind(listTransactions))
    .on("GET", "/v1/transactions/:id", bind(getTransaction))
    .on("PUT", "/v1/transactions/:id", bind(updateTransaction))
    .on("POST", "/v1/transactions/:id/capture", bind(captureTransaction))
    .on("POST", "/v1/transactions/:id/refund", bind(refundTransaction))
    .on("POST", "/v1/transactions/:id/void", bind(voidTransaction))
  const pages = new Router()
    .on("GET", "/", bind(viewRoot))
    .on("GET", "/embedResult", bind(embedResult))
    .on("GET", "/v1/view/:sid", bind(viewSession))
    .on("POST", "/v1/view/:sid/pay", bind(submitPayment))
    .on("POST", "/v1/view/:sid/express", (rq) => submitExpress(ctx, rq))
    .on("POST", "/v1/view/:sid/lock", bind(lockFromPage))
  const control = new Router()
  registerControlRoutes(control, ctx)
  return { open, api, pages, control }
}

function toErrorResponse(ctx: EmulatorContext, error: unknown): ApiResponse {
  if (error instanceof ApiError) return { status: error.status, body: error.toBody(), headers: error.headers }
  ctx.log(`internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`)
  return { status: 500, body: errorBody("INTERNAL_SERVER_ERROR", "Internal emulator error") }
}

export function createEmulatorServer(ctx: EmulatorContext): http.Server {
  const routers = buildRouters(ctx)

  /** Routes a request; errors become Dintero error bodies. */
  async function dispatch(rq: ApiRequest, raw: string, guard: boolean, ...candidates: Router[]): Promise<ApiResponse> {
    try {
      for (const router of candidates) {
        const match = router.match(rq.method, rq.path)
        if (match.kind === "not_found") continue
        if (match.kind === "method_not_allowed") {
          throw new ApiError(405, "METHOD_NOT_ALLOWED", `${rq.method} is not allowed on ${rq.path}`)
        }
        rq.params = match.params
        if (guard && router === routers.api) Object.assign(rq, authenticate(ctx, rq))
        rq.body = parseBody(raw, header(rq, "content-type"))
        return await match.handler(rq)
      }
      throw new ApiError(404, "NOT_FOUND", `No such endpoint: ${rq.method} ${rq.path}`)
    } catch (error) {
      return toErrorResponse(ctx, error)
    }
  }

  function record(rq: ApiRequest, status: number, started: number, fault?: string): void {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(rq.headers)) {
      if (value === undefined) continue
      headers[name] = REDACTED_HEADERS.has(name) ? "[redacted]" : Array.isArray(value) ? value.join(", ") : value
    }
    const durationMs = Date.now() - started
    ctx.state.requests.push({
      requestId: rq.requestId,
      method: rq.method,
      path: rq.path,
      query: queryToObject(rq.query),
      headers,
      ...(rq.body !== undefined ? { body: rq.body } : {}),
      status,
      ...(fault ? { fault } : {}),
      at: ctx.nowIso(),
      durationMs,
    })
    ctx.log(`${rq.method} ${rq.path} -> ${status || "no response"}${fault ? ` [fault ${fault}]` : ""} (${durationMs} ms)`)
  }

  /** /v1 API calls: faults and latency apply, and every call is recorded. */
  async function handleApi(req: IncomingMessage, res: ServerResponse, rq: ApiRequest, raw: string): Promise<void> {
    const started = Date.now()
    const fault = takeFault(ctx.state, rq.method, rq.path)
    const faultStatus = fault?.kind === "status" ? fault.status ?? 500 : 0
    if (fault?.phase === "before") {
      try {
        rq.body = parseBody(raw, header(rq, "content-type"))
      } catch {
        rq.body = raw
      }
      if (!(await actOut(fault, req, res, rq.requestId))) return record(rq, faultStatus, started, describeFault(fault))
    }
    if (ctx.state.latencyMs > 0) await sleep(ctx.state.latencyMs)
    const response = await dispatch(rq, raw, true, routers.open, routers.api)
    if (fault?.phase === "after" && !(await actOut(fault, req, res, rq.requestId))) {
      return record(rq, faultStatus, started, describeFault(fault))
    }
    send(res, response, rq.requestId)
    record(rq, response.status, started, fault ? describeFault(fault) : undefined)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.local")
    const rq: ApiRequest = {
      requestId: uuid(),
      method: (req.method ?? "GET").toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: undefined,
      params: {},
    }
    const raw = await readRawBody(req)
    if (rq.path.startsWith("/__emulator/")) {
      return send(res, await dispatch(rq, raw, false, routers.control), rq.requestId)
    }
    if (routers.pages.match(rq.method, rq.path).kind !== "not_found") {
      return send(res, await dispatch(rq, raw, false, routers.pages), rq.requestId)
    }
    if (rq.path.startsWith("/v1/")) return handleApi(req, res, rq, raw)
    send(res, { status: 404, body: errorBody("NOT_FOUND", `No such endpoint: ${rq.method} ${rq.path}`) }, rq.requestId)
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((error) => send(res, toErrorResponse(ctx, error), uuid()))
  })
}

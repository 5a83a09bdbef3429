import { setTimeout as sleep } from "node:timers/promises"
import { Pool } from "undici"
import type { ZodType } from "zod"
import { DinteroError, describeHttpFailure } from "./errors"
import { validators } from "./validators"

export type RetryPolicy = {
  /** Extra attempts after the first one for requests that are safe to repeat. */
  maxRetries: number
  baseDelayMs: number
  maxDelayMs: number
}

export type TransportOptions = {
  timeoutMs: number
  retry: RetryPolicy
  defaultHeaders: Record<string, string>
  log?: (line: string) => void
}

export type HttpRequest<T> = {
  method: "GET" | "POST" | "PUT"
  /** `http(s)://host[:port]`: one keep-alive pool per origin. */
  origin: string
  /** Path and query string as sent, e.g. `/v1/transactions/T1.x?includes=card.payment_token`. */
  path: string
  /** The access token, sent as `Authorization: Bearer …` (the token request sends Basic in `headers`). */
  bearer?: string
  /**
   * Called once when Dintero answers 401 to `bearer` (the token was refused before anything happened): its
   * token is sent instead, with a fresh retry budget. A second 401 is the caller's error.
   */
  renewBearer?: (refused: string) => Promise<string>
  /** Headers on top of the transport's own (accept, Dintero-System-*, content-type when there is a body). */
  headers?: Record<string, string>
  body?: unknown
  schema: ZodType<T>
  /**
   * `idempotent` requests (reads, token requests) are retried on 429/5xx/network errors. Everything else is
   * retried only when Dintero certainly did not act on it (connection refused, 429, 503): a mutation that
   * may have been applied is reported as ambiguous and the caller re-reads before deciding.
   */
  idempotent: boolean
  /**
   * An error status whose body is an answer rather than a failure (POST /v1/sessions/pay answers a refused
   * charge with 400 `Error & SessionPayResult`). A body that does not match `schema` stays a DinteroError.
   */
  answeredError?: { status: number; schema: ZodType<T> }
}

const CONNECTIONS_PER_HOST = 16
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
  "UND_ERR_DESTROYED",
])

/**
 * HTTP to Dintero: one keep-alive undici pool per origin, timeouts, retries with exponential backoff and full
 * jitter that honour Retry-After, and error bodies turned into DinteroError. Knows nothing about payments.
 */
export class DinteroTransport {
  private readonly pools = new Map<string, Pool>()

  /** Built once: every request sends these (plus authorization), so no per-request header assembly. */
  private readonly headers: Record<string, string>
  private readonly jsonHeaders: Record<string, string>

  /** The same with the current access token, rebuilt only when the token changes. */
  private bearer?: string
  private bearerHeaders: Record<string, string> = {}
  private bearerJsonHeaders: Record<string, string> = {}

  constructor(private readonly options: TransportOptions) {
    this.headers = { accept: "application/json", ...options.defaultHeaders }
    this.jsonHeaders = { ...this.headers, "content-type": "application/json" }
  }

  send<T>(request: HttpRequest<T>): Promise<T> {
    // The common case, an answer to the first attempt, without the retry loop's async frame around it.
    return this.sendOnce(request).catch((error) => this.retry(request, error))
  }

  /** After a failed attempt: send again while the policy allows it (and once with a new token after a 401). */
  private async retry<T>(request: HttpRequest<T>, failure: unknown): Promise<T> {
    const { maxRetries } = this.options.retry
    let renewed = false
    let error = failure
    for (let attempt = 0; ; attempt++) {
      if (error instanceof DinteroError && error.status === 401 && request.renewBearer && request.bearer && !renewed) {
        renewed = true
        request = { ...request, bearer: await request.renewBearer(request.bearer) }
        attempt = -1
      } else {
        if (!(error instanceof DinteroError) || attempt >= maxRetries || !this.mayRetry(request, error)) {
          throw error
        }
        const delay = this.backoff(attempt, error.details.retryAfterMs)
        if (delay === undefined) {
          throw error
        }
        this.options.log?.(
          `dintero: retrying ${request.method} ${pathOf(request)} in ${delay} ms after ${error.details.status ?? error.details.kind}`
        )
        await sleep(delay)
      }
      try {
        return await this.sendOnce(request)
      } catch (next) {
        error = next
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()))
    this.pools.clear()
  }

  private mayRetry(request: HttpRequest<unknown>, error: DinteroError): boolean {
    if (error.isSafeToResend) {
      return true
    }
    if (!request.idempotent) {
      return false
    }
    const status = error.details.status
    return error.details.kind === "ambiguous" || (status !== undefined && status >= 500)
  }

  /** Full jitter (AWS architecture blog); a Retry-After longer than we are willing to wait gives up. */
  private backoff(attempt: number, retryAfterMs?: number): number | undefined {
    const { baseDelayMs, maxDelayMs } = this.options.retry
    if (retryAfterMs !== undefined) {
      return retryAfterMs <= maxDelayMs ? retryAfterMs : undefined
    }
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt)
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
  }

  /**
   * The timeout is undici's own, armed per socket (no timer or AbortSignal of ours per request): no answer
   * headers within `timeoutMs` of the request being written, or a body that stalls for `timeoutMs`, fails the
   * request (UND_ERR_HEADERS_TIMEOUT / UND_ERR_BODY_TIMEOUT, reported as ambiguous). undici's coarse timers may
   * fire up to half a second late for timeouts of a second or more. A request waiting for one of the pool's
   * connections is not yet sent, so that wait is not counted: it ends when a connection's request answers or
   * times out.
   */
  private pool(origin: string): Pool {
    let pool = this.pools.get(origin)
    if (!pool) {
      pool = new Pool(origin, {
        connections: CONNECTIONS_PER_HOST,
        keepAliveTimeout: 30_000,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        connect: { timeout: Math.min(this.options.timeoutMs, 10_000) },
      })
      this.pools.set(origin, pool)
    }
    return pool
  }

  private async sendOnce<T>(request: HttpRequest<T>): Promise<T> {
    const started = Date.now()
    let response
    try {
      response = await this.pool(request.origin).request({
        method: request.method,
        path: request.path,
        headers: this.headersFor(request),
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      })
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code
      const causeCode = (error as { cause?: { code?: string } }).cause?.code
      const notSent = NOT_SENT_CODES.has(code ?? "") || NOT_SENT_CODES.has(causeCode ?? "")
      const path = pathOf(request)
      this.options.log?.(`dintero: ${request.method} ${path} failed after ${Date.now() - started} ms (${code ?? causeCode ?? "error"})`)
      throw new DinteroError(
        `Could not reach Dintero for ${request.method} ${path}: ${notSent ? "connection failed" : "no response (timeout or connection reset)"}`,
        { kind: notSent ? "not_sent" : "ambiguous", method: request.method, path }
      )
    }

    const status = response.statusCode
    let text: string
    try {
      text = await response.body.text()
    } catch {
      text = ""
    }
    if (this.options.log) {
      const requestId = requestIdOf(response.headers)
      this.options.log(`dintero: ${request.method} ${pathOf(request)} → ${status} in ${Date.now() - started} ms${requestId ? ` (request id ${requestId})` : ""}`)
    }

    if (status < 400) {
      // The common case: parse once, validate once.
      let body: unknown = {}
      if (text) {
        try {
          body = JSON.parse(text)
        } catch {
          throw this.invalidResponse(request, status, response.headers, "a body that is not JSON")
        }
      }
      const parsed = request.schema.safeParse(body)
      if (!parsed.success) {
        const fields = parsed.error.issues.map((issue) => issue.path.join(".") || "(body)").join(", ")
        throw this.invalidResponse(request, status, response.headers, `an unexpected body (fields: ${fields})`)
      }
      return parsed.data
    }

    const answered = request.answeredError
    if (answered && status === answered.status) {
      const answer = answered.schema.safeParse(safeJson(text))
      if (answer.success) {
        return answer.data
      }
    }
    const path = pathOf(request)
    const requestId = requestIdOf(response.headers)
    const parsed = validators.errorBody.safeParse(safeJson(text))
    const code = parsed.success ? parsed.data.error.code ?? undefined : undefined
    const message = parsed.success ? parsed.data.error.message ?? undefined : undefined
    throw new DinteroError(describeHttpFailure({ status, method: request.method, path, code, message, requestId }), {
      kind: "http",
      status,
      code,
      requestId,
      method: request.method,
      path,
      retryAfterMs: parseRetryAfter(headerValue(response.headers["retry-after"])),
    })
  }

  private headersFor(request: HttpRequest<unknown>): Record<string, string> {
    let base: Record<string, string>
    if (request.bearer === undefined) {
      base = request.body === undefined ? this.headers : this.jsonHeaders
    } else {
      if (request.bearer !== this.bearer) {
        const authorization = `Bearer ${request.bearer}`
        this.bearerHeaders = { ...this.headers, authorization }
        this.bearerJsonHeaders = { ...this.jsonHeaders, authorization }
        this.bearer = request.bearer
      }
      base = request.body === undefined ? this.bearerHeaders : this.bearerJsonHeaders
    }
    return request.headers === undefined ? base : { ...base, ...request.headers }
  }

  private invalidResponse(
    request: HttpRequest<unknown>,
    status: number,
    headers: Record<string, string | string[] | undefined>,
    what: string
  ): DinteroError {
    const path = pathOf(request)
    return new DinteroError(`Dintero answered ${request.method} ${path} with ${what}`, {
      kind: "invalid_response",
      status,
      requestId: requestIdOf(headers),
      method: request.method,
      path,
    })
  }
}

/** The path without its query string, for messages and logs (queries may carry references). */
function pathOf(request: HttpRequest<unknown>): string {
  const query = request.path.indexOf("?")
  return query === -1 ? request.path : request.path.slice(0, query)
}

function requestIdOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  return headerValue(headers["request-id"]) ?? headerValue(headers["x-request-id"])
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) {
    return undefined
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000
  }
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

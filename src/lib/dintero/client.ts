import { setTimeout as sleep } from "node:timers/promises"
import { z, type ZodType } from "zod"
import { AccessTokenSource } from "./auth"
import { DinteroError } from "./errors"
import { DinteroTransport, type HttpRequest, type RetryPolicy } from "./http"
import {
  type CaptureRequest,
  type CreateSessionRequest,
  type PaymentTokenSessionRequest,
  type RefundRequest,
  type SessionOrderUpdate,
  type SessionPayAnswer,
  type SessionPayRequest,
  type Transaction,
  type UpdateSessionRequest,
} from "./schemas"
import { validators } from "./validators"

export type DinteroClientConfig = {
  accountId: string
  clientId: string
  clientSecret: string
  /** Auth API, default https://api.dintero.com/v1 */
  apiBaseUrl: string
  /** Checkout API (sessions, transactions), default https://checkout.dintero.com/v1 */
  checkoutBaseUrl: string
  timeoutMs: number
  retry: RetryPolicy
  /** Sent as Dintero-System-* headers, which Dintero uses to tell integrations apart. */
  system: { name: string; version: string; pluginName: string; pluginVersion: string }
  log?: (line: string) => void
  now?: () => number
}

export type TokenInclude = "card.payment_token" | "card.recurrence_token"

export type TransactionQuery = {
  merchantReference?: string
  sessionId?: string
  status?: string[]
  limit?: number
}

/** Capture, refund and void answer the transaction (or 202 with anything): an object is all that is required here. */
const operationAccepted = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
  "expected an object"
)

/**
 * Typed access to the parts of Dintero's Checkout API the plugin uses. Validates every request before it
 * leaves and every response when it arrives. Capture, refund and void are never sent twice blindly: after
 * an ambiguous failure the transaction is re-read and its events decide whether the operation happened.
 */
export class DinteroClient {
  private readonly transport: DinteroTransport
  private readonly tokens: AccessTokenSource
  /** The checkout API's origin and path prefix ("/v1"), split once rather than parsing a URL per call. */
  private readonly checkoutOrigin: string
  private readonly checkoutPrefix: string

  constructor(private readonly config: DinteroClientConfig) {
    const checkout = new URL(config.checkoutBaseUrl)
    this.checkoutOrigin = checkout.origin
    this.checkoutPrefix = checkout.pathname.replace(/\/+$/, "")
    this.transport = new DinteroTransport({
      timeoutMs: config.timeoutMs,
      retry: config.retry,
      log: config.log,
      defaultHeaders: {
        "user-agent": `${config.system.pluginName}/${config.system.pluginVersion}`,
        "dintero-system-name": config.system.name,
        "dintero-system-version": config.system.version,
        "dintero-system-plugin-name": config.system.pluginName,
        "dintero-system-plugin-version": config.system.pluginVersion,
      },
    })
    this.tokens = new AccessTokenSource(this.transport, { ...config })
  }

  get accountId(): string {
    return this.config.accountId
  }

  async close(): Promise<void> {
    await this.transport.close()
  }

  // ── Sessions ───────────────────────────────────────────────────────────────────────────────────────

  /** POST /v1/sessions-profile. The strict-session-amounts toggle makes Dintero check that lines add up. */
  createSession(request: CreateSessionRequest) {
    return this.call({
      method: "POST",
      path: "/sessions-profile",
      body: validators.createSessionRequest.parse(request),
      headers: { "dintero-feature-toggles": "strict-session-amounts" },
      schema: validators.sessionCreated,
      idempotent: false,
    })
  }

  /**
   * POST /v1/sessions/payment-token: a session whose payer saves a card without paying (docs
   * /docs/checkout/tokenization-create-token). The token is read afterwards from the transaction it creates,
   * with `includes=card.payment_token` (and `card.recurrence_token`).
   */
  createPaymentTokenSession(request: PaymentTokenSessionRequest) {
    return this.call({
      method: "POST",
      path: "/sessions/payment-token",
      body: validators.paymentTokenSessionRequest.parse(request),
      schema: validators.sessionCreated,
      idempotent: false,
    })
  }

  getSession(sessionId: string) {
    return this.call({ method: "GET", path: `/sessions/${enc(sessionId)}`, schema: validators.session, idempotent: true })
  }

  /**
   * PUT /v1/sessions/{id} with `UpdateSessionOptions`: a server-to-server update that does not need the payer's
   * lock (`update_without_lock`, as Dintero's WooCommerce plugin does). `remove_lock: true` is sent explicitly so a
   * checkout the payer had locked meanwhile is released and shows the new order. The merchant reference is not
   * part of an update (SessionOrderUpdate).
   */
  updateSession(sessionId: string, order: SessionOrderUpdate, options: { express?: UpdateSessionRequest["express"]; withoutLock?: boolean } = {}) {
    return this.call({
      method: "PUT",
      path: `/sessions/${enc(sessionId)}`,
      // An embedded express checkout the storefront locked (Web SDK lockSession) is updated with the lock;
      // every other update is server-to-server.
      query: options.withoutLock === false ? {} : { update_without_lock: "true" },
      body: validators.updateSessionRequest.parse({ order, ...(options.express ? { express: options.express } : {}), remove_lock: true }),
      schema: validators.session,
      idempotent: true,
    })
  }

  cancelSession(sessionId: string) {
    return this.call({
      method: "POST",
      path: `/sessions/${enc(sessionId)}/cancel`,
      schema: operationAccepted,
      // Cancelling twice ends in the same state, so a retry cannot do harm.
      idempotent: true,
    })
  }

  /**
   * POST /v1/sessions/pay: a merchant-initiated charge of a stored card. A decline by the card's issuer comes
   * back as 200 + FAILED (a transaction); a request Dintero refuses (an unknown or revoked token, a reused
   * reference) as 400 with `Error & SessionPayResult`, returned as `refused`. Any other failure throws.
   */
  payWithStoredCard(
    request: SessionPayRequest,
    options: { rejectReusedMerchantReference?: boolean } = {}
  ): Promise<SessionPayAnswer> {
    return this.call<SessionPayAnswer>({
      method: "POST",
      path: "/sessions/pay",
      body: validators.sessionPayRequest.parse(request),
      headers: options.rejectReusedMerchantReference
        ? { "dintero-feature-toggles": "strict-success-merchant-reference" }
        : undefined,
      schema: validators.sessionPayAnswered,
      answeredError: { status: 400, schema: validators.sessionPayRefused },
      idempotent: false,
    })
  }

  // ── Transactions ───────────────────────────────────────────────────────────────────────────────────

  getTransaction(transactionId: string, includes: TokenInclude[] = []) {
    return this.call({
      method: "GET",
      path: `/transactions/${enc(transactionId)}`,
      query: includes.length ? { includes } : undefined,
      schema: validators.transaction,
      idempotent: true,
    })
  }

  listTransactions(query: TransactionQuery) {
    return this.call({
      method: "GET",
      path: "/transactions",
      query: {
        merchant_reference: query.merchantReference,
        session_id: query.sessionId,
        status: query.status,
        limit: String(query.limit ?? 10),
      },
      schema: validators.transactionList,
      idempotent: true,
    })
  }

  captureTransaction(transactionId: string, request: CaptureRequest) {
    const body = validators.captureRequest.parse(request)
    return this.operate(transactionId, "capture", body, (tx) =>
      hasEventWithReference(tx, ["CAPTURE", "INITIATE_CAPTURE"], body.capture_reference)
    )
  }

  refundTransaction(transactionId: string, request: RefundRequest) {
    const body = validators.refundRequest.parse(request)
    return this.operate(transactionId, "refund", body, (tx) =>
      hasEventWithReference(tx, ["REFUND", "INITIATE_REFUND"], body.refund_reference)
    )
  }

  voidTransaction(transactionId: string) {
    return this.operate(transactionId, "void", undefined, (tx) =>
      tx.status === "AUTHORIZATION_VOIDED" || (tx.events ?? []).some((e) => e.event === "INITIATE_VOID")
    )
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Sends a transaction operation. Dintero has no idempotency key for these (reference §5), so when the
   * outcome is unknown we read the transaction back: if the operation shows up in its events it happened,
   * otherwise it certainly did not and may be sent again. A 202 (asynchronous processing) is answered with
   * the transaction as it stands.
   */
  private async operate(
    transactionId: string,
    operation: "capture" | "refund" | "void",
    body: unknown,
    alreadyApplied: (transaction: Transaction) => boolean
  ): Promise<Transaction> {
    const attempts = this.config.retry.maxRetries + 1
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.call({
          method: "POST",
          path: `/transactions/${enc(transactionId)}/${operation}`,
          body,
          schema: operationAccepted,
          idempotent: false,
        })
        const parsed = validators.transaction.safeParse(answer)
        return parsed.success ? parsed.data : await this.getTransaction(transactionId)
      } catch (error) {
        const unsure = error instanceof DinteroError && (error.isAmbiguous || error.isSafeToResend)
        if (!unsure || attempt >= attempts) {
          throw error
        }
        const current = await this.getTransaction(transactionId)
        if (alreadyApplied(current)) {
          this.config.log?.(`dintero: ${operation} of ${transactionId} had been applied despite the failed answer`)
          return current
        }
        if (!(error as DinteroError).isSafeToResend && !canTellIfApplied(operation, body)) {
          throw error
        }
        await sleep(Math.min(this.config.retry.maxDelayMs, this.config.retry.baseDelayMs * 2 ** (attempt - 1)))
      }
    }
  }

  private call<T>(request: {
    method: "GET" | "POST" | "PUT"
    path: string
    query?: Record<string, string | string[] | undefined>
    body?: unknown
    headers?: Record<string, string>
    schema: ZodType<T>
    answeredError?: { status: number; schema: ZodType<T> }
    idempotent: boolean
  }): Promise<T> {
    let path = this.checkoutPrefix + request.path
    if (request.query) {
      path += queryString(request.query)
    }
    const prepared: HttpRequest<T> = {
      method: request.method,
      origin: this.checkoutOrigin,
      path,
      bearer: undefined,
      renewBearer: this.renewBearer,
      body: request.body,
      headers: request.headers,
      schema: request.schema,
      answeredError: request.answeredError,
      idempotent: request.idempotent,
    }
    // A fresh token is taken synchronously: no await on the path nearly every call takes.
    const token = this.tokens.current()
    if (token !== undefined) {
      prepared.bearer = token
      return this.transport.send(prepared)
    }
    return this.tokens.get().then((fetched) => {
      prepared.bearer = fetched
      return this.transport.send(prepared)
    })
  }

  /**
   * A 401 means the token was refused before anything happened: the transport asks for a new one once and sends
   * again (in its own retry loop rather than a try/await layer of ours around every call).
   */
  private readonly renewBearer = (refused: string): Promise<string> => {
    this.tokens.invalidate(refused)
    return this.tokens.get()
  }
}

/** `?a=1&b=x&b=y` in the order given, undefined values left out (what URLSearchParams.append would build). */
function queryString(query: Record<string, string | string[] | undefined>): string {
  let out = ""
  for (const key in query) {
    const value = query[key]
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) {
      out += `${out ? "&" : "?"}${encodeURIComponent(key)}=${encodeURIComponent(item)}`
    }
  }
  return out
}

function hasEventWithReference(transaction: Transaction, events: string[], reference?: string): boolean {
  if (!reference) {
    return false
  }
  return (transaction.events ?? []).some(
    (event) => events.includes(event.event) && event.success !== false && event.event_reference === reference
  )
}

/** Without a reference a capture or refund cannot be recognised among the events, so it is never resent. */
function canTellIfApplied(operation: string, body: unknown): boolean {
  if (operation === "void") {
    return true
  }
  const reference = (body as { capture_reference?: string; refund_reference?: string } | undefined) ?? {}
  return Boolean(reference.capture_reference ?? reference.refund_reference)
}

function enc(id: string): string {
  return encodeURIComponent(id)
}

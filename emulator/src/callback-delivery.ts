/**
 * Delivers callbacks like Dintero (reference §6, spec `CallbackUrl`): honours `delay_callback`
 * (max 60 s), retries on HTTP 100–101 and 500–599, on timeouts and connection errors, up to 20
 * retries with exponential backoff; any 2xx/3xx is delivered; 4xx is a permanent failure.
 * Deliveries run in the background and never hold up an API response.
 */
import http from "node:http"
import https from "node:https"
import type { EmulatorContext } from "./context"
import { queryToObject } from "./http"
import { uuid } from "./ids"
import { signatureHeader } from "./signature"
import type { CallbackAttempt } from "./types"

export const MAX_RETRIES = 20
const MAX_DELAY_CALLBACK_SECONDS = 60

export interface Delivery {
  id: string
  accountId: string
  sessionId: string
  transactionId?: string
  method: "GET" | "POST"
  url: string
  /** POST bodies are rendered when sent, so they show the transaction as it is then. */
  body?: () => unknown
  onDelivered?: () => void
}

type Waiter = {
  predicate: (attempt: CallbackAttempt) => boolean
  minCount: number
  resolve: (attempts: CallbackAttempt[]) => void
}

export class CallbackDelivery {
  private readonly inFlight = new Set<http.ClientRequest>()
  private readonly waiters = new Set<Waiter>()
  private closed = false
  /** Bumped by abortAll() so deliveries of an earlier generation leave no trace. */
  private generation = 0

  /** While set, new deliveries wait here instead of being sent (tests of forged callbacks need silence). */
  private held?: Delivery[]

  constructor(private readonly ctx: EmulatorContext) {}

  start(delivery: Omit<Delivery, "id">): string {
    const full: Delivery = { ...delivery, id: uuid() }
    if (this.held) {
      this.held.push(full)
      return full.id
    }
    this.schedule(full)
    return full.id
  }

  /** Holds callbacks back (`true`) or sends everything held and stops holding (`false`). */
  hold(enabled: boolean): void {
    const waiting = this.held ?? []
    this.held = enabled ? waiting : undefined
    if (!enabled) waiting.forEach((delivery) => this.schedule(delivery))
  }

  private schedule(full: Delivery): void {
    const requested = Number(new URL(full.url).searchParams.get("delay_callback") ?? 0)
    const delaySeconds = Number.isFinite(requested) ? Math.min(Math.max(requested, 0), MAX_DELAY_CALLBACK_SECONDS) : 0
    this.ctx.schedule(() => this.attempt(full, 1), delaySeconds * 1000 * this.ctx.options.callbackDelayScale)
  }

  private backoff(attempt: number): number {
    const { callbackRetryDelayMs, callbackMaxRetryDelayMs } = this.ctx.options
    return Math.min(callbackRetryDelayMs * 2 ** (attempt - 1), callbackMaxRetryDelayMs)
  }

  private attempt(delivery: Delivery, attempt: number): void {
    if (this.closed) return
    const url = new URL(delivery.url)
    const headers: Record<string, string> = { "event-delivery": delivery.id, "user-agent": "Dintero-Checkout-Emulator" }
    const body = delivery.method === "POST" ? JSON.stringify(delivery.body?.() ?? {}) : undefined
    if (body !== undefined) headers["content-type"] = "application/json"
    const secret = this.ctx.state.signatureSecret
    if (secret) {
      const timestamp = Math.floor(this.ctx.now().getTime() / 1000)
      headers["dintero-signature"] = signatureHeader(secret, {
        timestamp,
        accountId: delivery.accountId,
        method: delivery.method,
        url: delivery.url,
      })
    }
    const transport = url.protocol === "https:" ? https : http
    const generation = this.generation
    let settled = false
    const finish = (status?: number, error?: string) => {
      if (settled || this.closed || generation !== this.generation) return
      settled = true
      clearTimeout(timer)
      this.inFlight.delete(request)
      this.settle(delivery, attempt, { headers, body, status, error })
    }
    const request = transport.request(url, { method: delivery.method, headers, agent: false })
    const timer = setTimeout(() => {
      finish(undefined, "timeout")
      request.destroy()
    }, this.ctx.options.callbackTimeoutMs)
    this.inFlight.add(request)
    request.on("response", (response) => {
      response.resume()
      finish(response.statusCode)
    })
    request.on("error", (err: NodeJS.ErrnoException) => finish(undefined, err.code ?? err.message))
    request.end(body)
  }

  private settle(
    delivery: Delivery,
    attempt: number,
    result: { headers: Record<string, string>; body?: string; status?: number; error?: string }
  ): void {
    const { status, error } = result
    const delivered = status !== undefined && status >= 200 && status < 400
    const retryable = error !== undefined || (status !== undefined && (status <= 101 || status >= 500))
    const outcome = delivered ? "delivered" : retryable && attempt <= MAX_RETRIES ? "retrying" : "failed"
    const url = new URL(delivery.url)
    const query = queryToObject(url.searchParams)
    const record: CallbackAttempt = {
      deliveryId: delivery.id,
      attempt,
      method: delivery.method,
      url: delivery.url,
      query,
      headers: result.headers,
      ...(result.body !== undefined ? { body: JSON.parse(result.body) } : {}),
      ...(delivery.transactionId ? { transactionId: delivery.transactionId } : {}),
      sessionId: delivery.sessionId,
      ...(url.searchParams.has("event") ? { event: url.searchParams.get("event")! } : {}),
      ...(url.searchParams.has("error") ? { callbackError: url.searchParams.get("error")! } : {}),
      ...(status !== undefined ? { status } : {}),
      ...(error !== undefined ? { error } : {}),
      outcome,
      at: this.ctx.nowIso(),
    }
    this.ctx.state.callbackAttempts.push(record)
    this.ctx.log(`callback ${delivery.method} ${url.origin}${url.pathname} -> ${status ?? error} (attempt ${attempt}, ${outcome})`)
    if (outcome === "retrying") this.ctx.schedule(() => this.attempt(delivery, attempt + 1), this.backoff(attempt))
    if (delivered) delivery.onDelivered?.()
    this.notifyWaiters()
  }

  /** Resolves with the attempts matching `predicate` once there are at least `minCount`. */
  waitFor(predicate: (attempt: CallbackAttempt) => boolean, timeoutMs: number, minCount = 1): Promise<CallbackAttempt[]> {
    return new Promise((resolve, reject) => {
      const matches = () => this.ctx.state.callbackAttempts.filter(predicate)
      if (matches().length >= minCount) return resolve(structuredClone(matches()))
      const waiter: Waiter = {
        predicate,
        minCount,
        resolve: (attempts) => {
          clearTimeout(timer)
          this.waiters.delete(waiter)
          resolve(attempts)
        },
      }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter)
        const seen = this.ctx.state.callbackAttempts.map((a) => `${a.method} ${a.status ?? a.error} ${a.outcome}`)
        reject(new Error(`No matching callback within ${timeoutMs} ms; attempts so far: [${seen.join("; ")}]`))
      }, timeoutMs)
      this.waiters.add(waiter)
    })
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) {
      const matches = this.ctx.state.callbackAttempts.filter(waiter.predicate)
      if (matches.length >= waiter.minCount) waiter.resolve(structuredClone(matches))
    }
  }

  /** Aborts deliveries in flight (pending retries are timers of the context, cleared with it). */
  abortAll(): void {
    this.generation++
    this.held = undefined
    for (const request of this.inFlight) request.destroy()
    this.inFlight.clear()
  }

  close(): void {
    this.closed = true
    this.abortAll()
  }
}

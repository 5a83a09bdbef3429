/**
 * Which callbacks the session's `url.callback_url` receives, and with what query (reference §6):
 * `transaction_id`, `session_id` (or `sid` with `sid_parameter_name=sid`), `merchant_reference`,
 * `time`, plus `event`/`event_id` or `error`. The URL's own parameters are kept. `method=POST`
 * sends the Transaction as the body (`includes=session` adds the session).
 */
import { CallbackDelivery } from "./callback-delivery"
import type { EmulatorContext } from "./context"
import type { SessionRecord, TransactionRecord } from "./model"
import { addSessionEvent, renderSession } from "./session-view"
import { renderTransaction } from "./transactions"
import type { CallbackAttempt } from "./types"

interface Notice {
  session: SessionRecord
  transaction?: TransactionRecord
  event?: string
  eventId?: string
  error?: string
  /** Session event recorded once the receiver accepted it (AUTH_CALLBACK_SENT, …). */
  deliveredEvent?: string
}

export class CallbackDispatcher {
  readonly delivery: CallbackDelivery

  constructor(private readonly ctx: EmulatorContext) {
    this.delivery = new CallbackDelivery(ctx)
  }

  /** After a payment reached AUTHORIZED, ON_HOLD or CAPTURED (auto-capture), or left ON_HOLD. */
  paymentCompleted(session: SessionRecord, transaction: TransactionRecord): void {
    const status = transaction.tx.status
    // An ON_HOLD payment that ends FAILED is still reported, as the second callback of ON_HOLD.
    if (status === "FAILED") return this.send({ session, transaction, error: "failed" })
    this.send({ session, transaction, deliveredEvent: status === "ON_HOLD" ? "ON_HOLD_CALLBACK_SENT" : "AUTH_CALLBACK_SENT" })
  }

  /** Failed payments are only reported when the URL has `report_error=true`. */
  paymentFailed(session: SessionRecord, error: "cancelled" | "authorization" | "failed", transaction?: TransactionRecord): void {
    const url = this.callbackUrl(session)
    if (url?.searchParams.get("report_error") === "true") this.send({ session, transaction, error })
  }

  /** CAPTURE, REFUND and VOID are reported when the URL lists them in `report_event`. */
  transactionEvent(transaction: TransactionRecord, event: string, eventId: string): void {
    const session = this.ctx.state.sessions.get(transaction.tx.session_id)
    const url = session && this.callbackUrl(session)
    if (session && url?.searchParams.getAll("report_event").includes(event)) {
      this.send({ session, transaction, event, eventId })
    }
  }

  waitFor(predicate: (attempt: CallbackAttempt) => boolean, timeoutMs: number, minCount?: number) {
    return this.delivery.waitFor(predicate, timeoutMs, minCount)
  }

  abortAll(): void {
    this.delivery.abortAll()
  }

  hold(enabled: boolean): void {
    this.delivery.hold(enabled)
  }

  close(): void {
    this.delivery.close()
  }

  private callbackUrl(session: SessionRecord): URL | undefined {
    const raw = session.url.callback_url
    return raw ? new URL(raw) : undefined
  }

  private send(notice: Notice): void {
    const { session, transaction } = notice
    const url = this.callbackUrl(session)
    if (!url) return
    const params = url.searchParams
    if (transaction) params.set("transaction_id", transaction.tx.id)
    params.set(params.get("sid_parameter_name") === "sid" ? "sid" : "session_id", session.id)
    params.set("merchant_reference", session.order.merchant_reference)
    params.set("time", this.ctx.nowIso())
    if (notice.event) params.set("event", notice.event)
    if (notice.eventId) params.set("event_id", notice.eventId)
    if (notice.error) params.set("error", notice.error)
    const method = params.get("method")?.toUpperCase() === "POST" ? "POST" : "GET"
    const withSession = params.getAll("includes").includes("session")
    this.delivery.start({
      accountId: session.accountId,
      sessionId: session.id,
      transactionId: transaction?.tx.id,
      method,
      url: url.toString(),
      body: () => ({
        ...(transaction ? renderTransaction(this.ctx, transaction) : {}),
        ...(withSession ? { session: renderSession(session) } : {}),
      }),
      onDelivered: () => {
        if (notice.deliveredEvent) addSessionEvent(this.ctx, session, notice.deliveredEvent)
      },
    })
  }
}

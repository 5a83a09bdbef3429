/** startDinteroEmulator(): starts a server and returns the programmatic control API. */
import type { AddressInfo } from "node:net"
import { expireAccessTokens } from "./auth"
import { resolveOnHold } from "./authorization"
import { backofficeOperation, readBackofficeOperation, type BackofficeOperation } from "./backoffice"
import { CallbackDispatcher } from "./callbacks"
import { payAsPayer } from "./checkout"
import { EmulatorContext, resolveOptions, type ResolvedAccount } from "./context"
import { resetEmulator, sessionsSnapshot, tokensSnapshot, transactionsSnapshot } from "./control"
import { addFault } from "./faults"
import { clone } from "./http"
import { uuid } from "./ids"
import { createEmulatorServer } from "./server"
import { revokeToken, setTokenOutcomes } from "./tokens"
import { renderTransaction } from "./transactions"
import type { JsonObject, Transaction } from "./model"
import type {
  ActiveFault,
  CallbackAttempt,
  ChargeRecord,
  DinteroEmulatorOptions,
  Fault,
  MitOutcome,
  PayOptions,
  PayResult,
  RecordedRequest,
  StoredToken,
} from "./types"

export interface DinteroEmulator {
  /** `http://host:port` */
  readonly url: string
  /** `http://host:port/v1`: serves both the auth API and the checkout API paths. */
  readonly baseUrl: string
  readonly accounts: ResolvedAccount[]
  /** Acts as the payer on the hosted page. Rejects when the session cannot be paid. */
  pay(sessionId: string, options?: PayOptions): Promise<PayResult>
  injectFault(fault: Fault): ActiveFault
  clearFaults(): void
  setLatency(ms: number): void
  setAsyncOperations(enabled: boolean): void
  sessions(): JsonObject[]
  transactions(): Transaction[]
  tokens(): StoredToken[]
  requests(): RecordedRequest[]
  callbacks(): CallbackAttempt[]
  charges(): ChargeRecord[]
  /** How many access tokens were issued (a client that caches tokens asks once). */
  accessTokensIssued(): number
  /** The access tokens currently valid (for tests that prove no token leaks into logs or responses). */
  accessTokens(): string[]
  waitForCallbacks(predicate: (attempt: CallbackAttempt) => boolean, timeoutMs?: number, minCount?: number): Promise<CallbackAttempt[]>
  resolveOnHold(transactionId: string, status: "AUTHORIZED" | "FAILED"): Transaction
  /**
   * A capture, refund or void made in Dintero's Backoffice, not by the merchant's API client: applied with the
   * API's rules (throws the API's error when refused) and reported to the callback_url with `report_event`.
   */
  backoffice(transactionId: string, operation: BackofficeOperation): Transaction
  /** Holds callbacks back until called with `false`, which sends them. `reset()` drops held callbacks. */
  holdCallbacks(enabled: boolean): void
  setTokenOutcomes(tokenValueOrId: string, outcomes: MitOutcome[]): void
  revokeToken(tokenValueOrId: string): void
  expireAccessTokens(): void
  reset(): void
  close(): Promise<void>
}

export async function startDinteroEmulator(options: DinteroEmulatorOptions = {}): Promise<DinteroEmulator> {
  const resolved = resolveOptions(options)
  const ctx = new EmulatorContext(resolved, options.signatureSecret, options.asyncOperations ?? false)
  ctx.callbacks = new CallbackDispatcher(ctx)
  const server = createEmulatorServer(ctx)
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(resolved.port, resolved.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const host = resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host
  ctx.url = `http://${host}:${port}`
  ctx.log(`Dintero emulator listening on ${ctx.url}`)

  let closing: Promise<void> | undefined
  return {
    url: ctx.url,
    baseUrl: `${ctx.url}/v1`,
    accounts: clone(resolved.accounts),
    pay: async (sessionId, payOptions) => payAsPayer(ctx, sessionId, payOptions),
    injectFault: (fault) => clone(addFault(ctx.state, fault)),
    clearFaults: () => {
      ctx.state.faults = []
    },
    setLatency: (ms) => {
      ctx.state.latencyMs = ms
    },
    setAsyncOperations: (enabled) => {
      ctx.state.asyncOperations = enabled
    },
    sessions: () => sessionsSnapshot(ctx),
    transactions: () => transactionsSnapshot(ctx),
    tokens: () => tokensSnapshot(ctx),
    requests: () => clone(ctx.state.requests),
    callbacks: () => clone(ctx.state.callbackAttempts),
    charges: () => clone(ctx.state.charges),
    accessTokensIssued: () => ctx.state.accessTokensIssued,
    accessTokens: () => [...ctx.state.accessTokens.keys()],
    waitForCallbacks: (predicate, timeoutMs = 5000, minCount = 1) => ctx.callbacks.waitFor(predicate, timeoutMs, minCount),
    resolveOnHold: (transactionId, status) => renderTransaction(ctx, resolveOnHold(ctx, transactionId, status, uuid())),
    backoffice: (transactionId, operation) => {
      backofficeOperation(ctx, transactionId, readBackofficeOperation(operation))
      return renderTransaction(ctx, ctx.state.transactions.get(transactionId)!)
    },
    holdCallbacks: (enabled) => ctx.callbacks.hold(enabled),
    setTokenOutcomes: (token, outcomes) => {
      setTokenOutcomes(ctx, token, outcomes)
    },
    revokeToken: (token) => {
      revokeToken(ctx, token)
    },
    expireAccessTokens: () => expireAccessTokens(ctx),
    reset: () => resetEmulator(ctx),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        ctx.clearTimers()
        ctx.callbacks.close()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}

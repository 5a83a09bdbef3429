/** Resolved options plus the shared services every handler needs (clock, log, timers, state). */
import { secret } from "./ids"
import { EmulatorState } from "./state"
import type { CallbackDispatcher } from "./callbacks"
import type { CardProductType, DinteroEmulatorOptions, EmulatorAccount } from "./types"

export interface ResolvedAccount extends Required<EmulatorAccount> {
  paymentProductType: CardProductType
}

export const DEFAULT_ACCOUNT: Required<EmulatorAccount> = {
  accountId: "T12345678",
  clientId: "emulator-client-id",
  clientSecret: "emulator-client-secret",
  profiles: ["default"],
  paymentProductType: "dintero_psp.creditcard",
}

export interface ResolvedOptions {
  host: string
  port: number
  accounts: ResolvedAccount[]
  adminApiKey: string
  accessTokenTtlSeconds: number
  callbackRetryDelayMs: number
  callbackMaxRetryDelayMs: number
  callbackTimeoutMs: number
  expressCallbackTimeoutMs: number
  callbackDelayScale: number
  asyncOperationDelayMs: number
  sessionTtlSeconds: number
  now: () => Date
  log: (line: string) => void
}

const ACCOUNT_ID = /^[PT]\d{8}$/

export function resolveOptions(options: DinteroEmulatorOptions = {}): ResolvedOptions {
  const accounts = (options.accounts?.length ? options.accounts : [DEFAULT_ACCOUNT]).map((account) => {
    if (!ACCOUNT_ID.test(account.accountId)) {
      throw new Error(`accountId "${account.accountId}" must be T or P followed by 8 digits`)
    }
    return {
      ...account,
      profiles: account.profiles?.length ? account.profiles : ["default"],
      paymentProductType: account.paymentProductType ?? "dintero_psp.creditcard",
    }
  })
  return {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    accounts,
    adminApiKey: options.adminApiKey ?? "emulator-api-key",
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 14400,
    callbackRetryDelayMs: options.callbackRetryDelayMs ?? 1000,
    callbackMaxRetryDelayMs: options.callbackMaxRetryDelayMs ?? 10 * 60 * 1000,
    callbackTimeoutMs: options.callbackTimeoutMs ?? 10000,
    // express.shipping_address_callback_url: "A request timeout (60 seconds)", no retry (Checkout API spec).
    expressCallbackTimeoutMs: options.expressCallbackTimeoutMs ?? 60000,
    callbackDelayScale: options.callbackDelayScale ?? 1,
    asyncOperationDelayMs: options.asyncOperationDelayMs ?? 100,
    sessionTtlSeconds: options.sessionTtlSeconds ?? 24 * 60 * 60,
    now: options.now ?? (() => new Date()),
    log: options.log ?? (() => undefined),
  }
}

export class EmulatorContext {
  /** `http://host:port`, known once the server listens. */
  url = ""
  readonly state: EmulatorState
  /** Key that signs the JWT-looking access tokens of this instance. */
  readonly jwtKey = secret()
  callbacks!: CallbackDispatcher
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(readonly options: ResolvedOptions, signatureSecret?: string, asyncOperations = false) {
    this.state = new EmulatorState(signatureSecret, asyncOperations)
  }

  now(): Date {
    return this.options.now()
  }

  nowIso(): string {
    return this.now().toISOString()
  }

  log(line: string): void {
    this.options.log(line)
  }

  account(accountId: string): ResolvedAccount | undefined {
    return this.options.accounts.find((account) => account.accountId === accountId)
  }

  /** setTimeout that close()/reset() can cancel. */
  schedule(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      fn()
    }, Math.max(0, ms))
    this.timers.add(timer)
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}

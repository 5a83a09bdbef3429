/** All mutable state of one emulator instance (instances never share state). */
import type { SessionRecord, TransactionRecord } from "./model"
import type { ActiveFault, CallbackAttempt, ChargeRecord, RecordedRequest, StoredToken } from "./types"

export interface AccessTokenRecord {
  accountId: string
  clientId: string
  expiresAtMs: number
}

export class EmulatorState {
  sessions = new Map<string, SessionRecord>()
  transactions = new Map<string, TransactionRecord>()
  /** Stored card tokens by id. */
  tokens = new Map<string, StoredToken>()
  accessTokens = new Map<string, AccessTokenRecord>()
  accessTokensIssued = 0
  requests: RecordedRequest[] = []
  callbackAttempts: CallbackAttempt[] = []
  charges: ChargeRecord[] = []
  faults: ActiveFault[] = []
  latencyMs = 0
  asyncOperations = false
  /** Created with POST /v1/admin/signature or the `signatureSecret` option. */
  signatureSecret?: string
  private seq = 0

  constructor(private readonly initialSignatureSecret?: string, private readonly initialAsync = false) {
    this.signatureSecret = initialSignatureSecret
    this.asyncOperations = initialAsync
  }

  nextSeq(): number {
    return ++this.seq
  }

  tokenByValueOrId(valueOrId: string): StoredToken | undefined {
    const byId = this.tokens.get(valueOrId)
    if (byId) return byId
    for (const token of this.tokens.values()) if (token.token === valueOrId) return token
    return undefined
  }

  reset(): void {
    this.sessions.clear()
    this.transactions.clear()
    this.tokens.clear()
    this.accessTokens.clear()
    this.accessTokensIssued = 0
    this.requests = []
    this.callbackAttempts = []
    this.charges = []
    this.faults = []
    this.latencyMs = 0
    this.asyncOperations = this.initialAsync
    this.signatureSecret = this.initialSignatureSecret
  }
}

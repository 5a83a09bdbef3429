import { validators } from "./validators"
import type { DinteroTransport } from "./http"

type CachedToken = { value: string; refreshAt: number }

/**
 * Client-credentials access tokens (docs /docs/checkout/authentication). One token is shared by every call
 * and renewed before `expires_in` runs out; however many calls find it stale at once, only one token
 * request is in flight. The docs disagree on the lifetime (4 h vs 24 h), so we trust `expires_in`.
 */
export class AccessTokenSource {
  private cached?: CachedToken
  private inFlight?: Promise<CachedToken>
  private readonly origin: string
  private readonly path: string
  private readonly basic: string

  constructor(
    private readonly transport: DinteroTransport,
    private readonly settings: {
      accountId: string
      clientId: string
      clientSecret: string
      apiBaseUrl: string
      now?: () => number
    }
  ) {
    const url = new URL(`${settings.apiBaseUrl}/accounts/${settings.accountId}/auth/token`)
    this.origin = url.origin
    this.path = url.pathname
    this.basic = `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString("base64")}`
  }

  /** The token when it is fresh, without waiting for anything: the path nearly every call takes. */
  current(): string | undefined {
    const cached = this.cached
    return cached !== undefined && this.now() < cached.refreshAt ? cached.value : undefined
  }

  async get(): Promise<string> {
    const fresh = this.current()
    if (fresh !== undefined) {
      return fresh
    }
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = undefined
    })
    this.cached = await this.inFlight
    return this.cached.value
  }

  /** Forget the token, e.g. after Dintero answered 401 to it. */
  invalidate(rejected?: string): void {
    if (!rejected || this.cached?.value === rejected) {
      this.cached = undefined
    }
  }

  private async fetch(): Promise<CachedToken> {
    const { accountId } = this.settings
    const requestedAt = this.now()
    const token = await this.transport.send({
      method: "POST",
      origin: this.origin,
      path: this.path,
      headers: { authorization: this.basic },
      // The audience is always Dintero's canonical API URL, whichever host serves the token endpoint.
      body: { grant_type: "client_credentials", audience: `https://api.dintero.com/v1/accounts/${accountId}` },
      schema: validators.accessToken,
      idempotent: true,
    })
    const lifetimeMs = token.expires_in * 1000
    // Renew once 80% of the lifetime has passed, and never later than a minute before expiry.
    const margin = Math.max(lifetimeMs * 0.2, Math.min(60_000, lifetimeMs / 2))
    return { value: token.access_token, refreshAt: requestedAt + lifetimeMs - margin }
  }

  private now(): number {
    return this.settings.now ? this.settings.now() : Date.now()
  }
}

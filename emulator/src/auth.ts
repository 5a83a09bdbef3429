/**
 * OAuth client-credentials tokens (reference §1): POST /v1/accounts/{aid}/auth/token with HTTP Basic
 * `client_id:client_secret`; every other API call carries `Authorization: Bearer <token>`.
 */
import { createHmac, timingSafeEqual } from "node:crypto"
import type { EmulatorContext } from "./context"
import { ApiError, badRequest, forbidden, notFound, unauthorized } from "./errors"
import { header, isObject, json, type ApiRequest, type ApiResponse } from "./http"
import { accountOf, uuid } from "./ids"

export const audienceFor = (accountId: string) => `https://api.dintero.com/v1/accounts/${accountId}`

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function basicCredentials(rq: ApiRequest): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header(rq, "authorization") ?? "")
  if (!match) return undefined
  const decoded = Buffer.from(match[1], "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon < 0) return undefined
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) }
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

/** Dintero issues JWTs; ours look like one but are only meaningful to this instance. */
function mintAccessToken(ctx: EmulatorContext, accountId: string, clientId: string, expiresAtMs: number): string {
  const payload = {
    iss: `${ctx.url}/v1/accounts/${accountId}/auth`,
    aud: audienceFor(accountId),
    sub: clientId,
    iat: Math.floor(ctx.now().getTime() / 1000),
    exp: Math.floor(expiresAtMs / 1000),
    jti: uuid(),
    "https://dintero.com/claims/account_id": accountId,
  }
  const unsigned = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(payload)}`
  const signature = createHmac("sha256", ctx.jwtKey).update(unsigned).digest("base64url")
  return `${unsigned}.${signature}`
}

export function handleTokenRequest(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const accountId = rq.params.aid
  const account = ctx.account(accountId)
  const credentials = basicCredentials(rq)
  if (!credentials) throw unauthorized("HTTP Basic authentication with client_id:client_secret is required")
  if (
    !account ||
    !safeEqual(credentials.clientId, account.clientId) ||
    !safeEqual(credentials.clientSecret, account.clientSecret)
  ) {
    throw unauthorized("Invalid client credentials")
  }
  const body = isObject(rq.body) ? rq.body : {}
  if (body.grant_type !== "client_credentials") {
    throw badRequest('grant_type must be "client_credentials"', "unsupported_grant_type")
  }
  if (body.audience !== audienceFor(accountId)) {
    throw badRequest(`audience must be "${audienceFor(accountId)}"`, "invalid_audience")
  }
  const expiresIn = ctx.options.accessTokenTtlSeconds
  const expiresAtMs = ctx.now().getTime() + expiresIn * 1000
  const token = mintAccessToken(ctx, accountId, credentials.clientId, expiresAtMs)
  ctx.state.accessTokens.set(token, { accountId, clientId: credentials.clientId, expiresAtMs })
  ctx.state.accessTokensIssued++
  return json(200, { access_token: token, token_type: "Bearer", expires_in: expiresIn })
}

/** Resolves the bearer token to its account and client, or throws 401. */
export function authenticate(ctx: EmulatorContext, rq: ApiRequest): { accountId: string; clientId: string } {
  const match = /^Bearer\s+(\S+)$/i.exec(header(rq, "authorization") ?? "")
  if (!match) throw unauthorized("Missing bearer token in the Authorization header")
  const record = ctx.state.accessTokens.get(match[1])
  if (!record) throw unauthorized("Unknown or invalid access token")
  if (record.expiresAtMs <= ctx.now().getTime()) throw unauthorized("The access token has expired")
  return { accountId: record.accountId, clientId: record.clientId }
}

/** Resource ids are prefixed with their account; a token of another account may not touch them. */
export function assertOwnedBy(accountId: string | undefined, resourceId: string): void {
  const owner = accountOf(resourceId)
  if (!owner) throw notFound(`${resourceId} not found`)
  if (owner !== accountId) {
    throw forbidden(`The access token does not grant access to ${resourceId}`)
  }
}

export function expireAccessTokens(ctx: EmulatorContext): void {
  for (const record of ctx.state.accessTokens.values()) record.expiresAtMs = 0
}

export function requireAccount(rq: ApiRequest): string {
  if (!rq.accountId) throw new ApiError(401, "UNAUTHORIZED", "Not authenticated")
  return rq.accountId
}

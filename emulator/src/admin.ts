/**
 * The callback signature secret (reference §6): POST creates (rotates) it, GET reads it. Both use
 * the `x-api-key` header instead of a bearer token and answer `{signature:{type,secret}}`.
 */
import { timingSafeEqual } from "node:crypto"
import type { EmulatorContext } from "./context"
import { ApiError, unauthorized } from "./errors"
import { header, json, type ApiRequest, type ApiResponse } from "./http"
import { secret } from "./ids"

function checkApiKey(ctx: EmulatorContext, rq: ApiRequest): void {
  const given = Buffer.from(header(rq, "x-api-key") ?? "")
  const expected = Buffer.from(ctx.options.adminApiKey)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw unauthorized("A valid x-api-key header is required")
  }
}

const signatureBody = (value: string) => ({ signature: { type: "v0-hmac-sha256", secret: value } })

export function createSignatureSecret(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  checkApiKey(ctx, rq)
  ctx.state.signatureSecret = secret(32)
  return json(200, signatureBody(ctx.state.signatureSecret))
}

export function getSignatureSecret(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  checkApiKey(ctx, rq)
  if (!ctx.state.signatureSecret) throw new ApiError(404, "NOT_FOUND", "No signature secret has been created")
  return json(200, signatureBody(ctx.state.signatureSecret))
}

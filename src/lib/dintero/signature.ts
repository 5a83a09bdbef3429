import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * Dintero signs callback URLs, not bodies (docs /docs/checkout/validating-callbacks):
 *   Dintero-Signature: t=<unix seconds>,v0-hmac-sha256=<hex>
 *   hex = HMAC-SHA256(secret, `${t}\n${account_id}\n${METHOD}\n${hostname}\n${pathname}\n${sorted query}`)
 * Query parameters are sorted and spaces are encoded as `+` (what URLSearchParams does).
 */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60

export type SignatureCheck =
  | { valid: true; timestamp: number }
  | { valid: false; reason: "missing" | "malformed" | "mismatch" | "stale" }

export function computeCallbackSignature(input: {
  secret: string
  accountId: string
  method: string
  url: URL
  timestamp: number
}): string {
  const url = new URL(input.url.toString())
  url.searchParams.sort()
  const payload = [
    input.timestamp,
    input.accountId,
    input.method.toUpperCase(),
    url.hostname,
    url.pathname,
    url.searchParams.toString(),
  ].join("\n")
  return createHmac("sha256", input.secret).update(payload, "utf8").digest("hex")
}

export function verifyCallbackSignature(input: {
  header: string | undefined
  secret: string
  accountId: string
  method: string
  url: URL
  nowSeconds?: number
  toleranceSeconds?: number
}): SignatureCheck {
  if (!input.header) {
    return { valid: false, reason: "missing" }
  }
  const parts = new Map(
    input.header.split(",").map((part) => {
      const index = part.indexOf("=")
      return [part.slice(0, index).trim(), part.slice(index + 1).trim()] as const
    })
  )
  const timestamp = Number(parts.get("t"))
  const received = parts.get("v0-hmac-sha256") ?? ""
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/i.test(received)) {
    return { valid: false, reason: "malformed" }
  }
  const expected = computeCallbackSignature({ ...input, timestamp })
  if (!timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(received.toLowerCase(), "hex"))) {
    return { valid: false, reason: "mismatch" }
  }
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000)
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS)) {
    return { valid: false, reason: "stale" }
  }
  return { valid: true, timestamp }
}

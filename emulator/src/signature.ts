/**
 * The `Dintero-Signature` callback header (reference §6, docs /docs/checkout/validating-callbacks):
 * `t=<unix>,v0-hmac-sha256=<hex>` where hex = HMAC-SHA256(secret,
 * "{t}\n{account_id}\n{METHOD}\n{hostname}\n{pathname}\n{query}"), the query sorted and spaces as `+`.
 * The body is not signed.
 */
import { createHmac } from "node:crypto"

export interface SignatureInput {
  timestamp: number
  accountId: string
  method: string
  url: string
}

export function signatureHex(secret: string, input: SignatureInput): string {
  const url = new URL(input.url)
  url.searchParams.sort()
  // URLSearchParams serializes spaces as `+`, as the signature requires; hostname excludes the port.
  const message = [input.timestamp, input.accountId, input.method.toUpperCase(), url.hostname, url.pathname, url.searchParams.toString()].join("\n")
  return createHmac("sha256", secret).update(message).digest("hex")
}

export function signatureHeader(secret: string, input: SignatureInput): string {
  return `t=${input.timestamp},v0-hmac-sha256=${signatureHex(secret, input)}`
}

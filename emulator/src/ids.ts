/** Identifier and secret generation. Dintero ids look like `T12345678.5cyWnV68vzJ1kYjZPrKWWm`. */
import { randomBytes, randomUUID } from "node:crypto"

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** Uniformly random base62 string (rejection sampling avoids modulo bias). */
export function base62(length: number): string {
  let out = ""
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62]
    }
  }
  return out
}

/** Session and transaction ids carry the account id as prefix (reference §1). */
export function resourceId(accountId: string): string {
  return `${accountId}.${base62(22)}`
}

export function uuid(): string {
  return randomUUID()
}

/** An unguessable secret (token values, signature secrets). */
export function secret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url")
}

/** The account prefix of a resource id, or undefined when the id has none. */
export function accountOf(id: string): string | undefined {
  const dot = id.indexOf(".")
  return dot > 0 ? id.slice(0, dot) : undefined
}

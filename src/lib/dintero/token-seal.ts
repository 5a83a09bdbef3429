import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"

/**
 * Card tokens are credentials (docs /docs/checkout/tokenization-fetching-storing: "store them securely"),
 * so they are kept sealed with AES-256-GCM. The associated data binds a sealed value to the record it was
 * written for (e.g. the account holder), so a copied ciphertext does not open elsewhere.
 *
 * Format: `v1.<iv base64url>.<auth tag base64url>.<ciphertext base64url>`
 */
const VERSION = "v1"

export class TokenSealError extends Error {
  readonly name = "TokenSealError"
}

/** Accepts a 32-byte key as 64 hex characters or as base64 / base64url (44 or 43 characters). */
export function parseEncryptionKey(text: string): Buffer {
  const trimmed = text.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64")
  if (key.length !== 32) {
    throw new TokenSealError("must be 32 random bytes, as 64 hex characters or base64 (e.g. `openssl rand -base64 32`)")
  }
  return key
}

export function sealToken(key: Buffer, plaintext: string, associatedData: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv("aes-256-gcm", key, iv)
  cipher.setAAD(Buffer.from(associatedData, "utf8"))
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".")
}

export function openToken(key: Buffer, sealed: string, associatedData: string): string {
  const [version, iv, tag, ciphertext] = sealed.split(".")
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) {
    throw new TokenSealError("sealed token has an unknown format")
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"))
    decipher.setAAD(Buffer.from(associatedData, "utf8"))
    decipher.setAuthTag(Buffer.from(tag, "base64url"))
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8")
  } catch {
    // Never include the ciphertext or key material in the message.
    throw new TokenSealError("sealed token could not be opened: wrong key, or it belongs to another record")
  }
}

import { createHash, randomBytes } from "node:crypto"

/**
 * A card-update link's token: 32 random bytes (base64url). Only its SHA-256 is stored, so a database read
 * gives no working link, and a forged or altered token matches nothing. The token is never logged.
 */
export function newCardUpdateToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url")
  return { token, hash: hashCardUpdateToken(token) }
}

export function hashCardUpdateToken(token: string): string {
  return createHash("sha256").update(`dintero-card-update-link:${token}`).digest("hex")
}

/** The storefront URL of a link, from the `subscriptions.cardUpdateUrl` template. */
export function cardUpdateUrl(template: string, token: string): string {
  return template.replace("{token}", encodeURIComponent(token))
}

import { computeCallbackSignature } from "../../src/lib/dintero/signature"
import { CALLBACK_SECRET } from "./dintero-store"

export const CALLBACK_PATH = "/hooks/dintero/callback"

/**
 * A callback as Dintero sends it to the plugin's route: the query it puts on the callback URL and its
 * `Dintero-Signature` over that URL (docs /docs/checkout/validating-callbacks). `signedQuery` signs another
 * URL than the one called, as an attacker replaying a signature they have seen would.
 */
export function signedCallback(
  backendUrl: string,
  query: Record<string, string>,
  options: { method?: "GET" | "POST"; secret?: string; timestamp?: number; signedQuery?: Record<string, string> } = {}
) {
  const path = `${CALLBACK_PATH}?${new URLSearchParams(query)}`
  const signedUrl = new URL(`${backendUrl}${CALLBACK_PATH}?${new URLSearchParams(options.signedQuery ?? query)}`)
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  const hex = computeCallbackSignature({
    secret: options.secret ?? CALLBACK_SECRET,
    accountId: "T12345678",
    method: options.method ?? "GET",
    url: signedUrl,
    timestamp,
  })
  return { path, headers: { "dintero-signature": `t=${timestamp},v0-hmac-sha256=${hex}` } }
}

/** The query Dintero puts on the callback URL for a paid session (docs /docs/checkout/after-payment). */
export function callbackQuery(transactionId: string, dinteroSessionId: string, medusaSessionId: string) {
  return {
    transaction_id: transactionId,
    session_id: dinteroSessionId,
    merchant_reference: medusaSessionId,
    time: new Date().toISOString(),
  }
}

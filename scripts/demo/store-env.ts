import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import type { DinteroEmulator } from "./dintero"
import { CARD_UPDATE_PATH, RETURN_PATH } from "./storefront"

/**
 * The environment `medusa-config.ts` reads, pointing the store's Dintero provider at the emulator.
 * Everything the demo depends on is set explicitly.
 */
export function storeEnv(opts: {
  databaseUrl: string
  storePort: number
  storefrontPort: number
  emulator: DinteroEmulator
  account: { accountId: string; clientId: string; clientSecret: string }
  callbackSecret: string
  /** Seals saved card tokens; kept across runs so the demo database's saved cards stay usable. */
  tokenEncryptionKey: string
}): NodeJS.ProcessEnv {
  const { storePort, storefrontPort, emulator, account } = opts
  const storeUrl = `http://localhost:${storePort}`
  const storefrontUrl = `http://localhost:${storefrontPort}`
  // The dashboard at /app calls the backend from its own origin, whichever host name the browser used.
  const storeOrigins = [storeUrl, `http://127.0.0.1:${storePort}`]
  const storefrontOrigins = [storefrontUrl, `http://127.0.0.1:${storefrontPort}`]
  // None of the developer's own DINTERO_* settings (a real test account, saved cards, …) are inherited.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("DINTERO_")))
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    DATABASE_URL: opts.databaseUrl,
    PORT: String(storePort),
    MEDUSA_BACKEND_URL: storeUrl,
    ADMIN_CORS: storeOrigins.join(","),
    STORE_CORS: storefrontOrigins.join(","),
    AUTH_CORS: [...storeOrigins, ...storefrontOrigins].join(","),
    DINTERO_ACCOUNT_ID: account.accountId,
    DINTERO_CLIENT_ID: account.clientId,
    DINTERO_CLIENT_SECRET: account.clientSecret,
    DINTERO_PROFILE_ID: "default",
    DINTERO_API_BASE_URL: emulator.baseUrl,
    DINTERO_CHECKOUT_BASE_URL: emulator.baseUrl,
    // Dintero signs its callbacks with this secret; the provider refuses callbacks that are not signed with it.
    DINTERO_CALLBACK_SECRET: opts.callbackSecret,
    DINTERO_AUTO_CAPTURE: "false",
    DINTERO_SAVE_CARDS: "subscriptions",
    DINTERO_TOKEN_ENCRYPTION_KEY: opts.tokenEncryptionKey,
    DINTERO_RETURN_URL: `${storefrontUrl}${RETURN_PATH}`,
    // Card-update links (in the payment-failed notices) open the storefront's page, on whichever port it got.
    SUBSCRIPTION_CARD_UPDATE_URL: `${storefrontUrl}${CARD_UPDATE_PATH}?token={token}`,
    // Medusa's local notification provider serves "email": the subscription notices are printed in the store log.
    LOCAL_EMAIL_NOTIFICATIONS: "true",
    MEDUSA_DISABLE_TELEMETRY: process.env.MEDUSA_DISABLE_TELEMETRY ?? "true",
  }
  // The demo needs no Redis: without REDIS_URL Medusa uses its in-memory event bus, cache and locks.
  delete env.REDIS_URL
  return env
}

/** The demo store's token sealing key: made once and kept in .medusa/ (ignored by git), like a real secret. */
export function demoTokenKey(file = resolve(__dirname, "../../.medusa/demo-token-key")): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 })
  }
  return readFileSync(file, "utf8").trim()
}

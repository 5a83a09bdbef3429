import { defineConfig, loadEnv, Modules } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

/**
 * Development store for this repository: it loads the plugin from `./src` and points it at the
 * Dintero emulator (see README). A merchant's own store registers the published package instead.
 */
const backendUrl = process.env.MEDUSA_BACKEND_URL || "http://localhost:9000"

const dinteroProviderOptions = {
  accountId: process.env.DINTERO_ACCOUNT_ID || "T12345678",
  clientId: process.env.DINTERO_CLIENT_ID || "emulator-client-id",
  clientSecret: process.env.DINTERO_CLIENT_SECRET || "emulator-client-secret",
  profileId: process.env.DINTERO_PROFILE_ID || "default",
  backendUrl,
  returnUrl: process.env.DINTERO_RETURN_URL || "http://localhost:8000/checkout/dintero/return",
  callbackSecret: process.env.DINTERO_CALLBACK_SECRET || undefined,
  autoCapture: process.env.DINTERO_AUTO_CAPTURE === "true",
  captureOnFulfillment: process.env.DINTERO_CAPTURE_ON_FULFILLMENT === "true",
  // Saving cards needs a sealing key; without one the development store does not offer it.
  saveCards: process.env.DINTERO_TOKEN_ENCRYPTION_KEY ? process.env.DINTERO_SAVE_CARDS || "subscriptions" : "never",
  tokenEncryptionKey: process.env.DINTERO_TOKEN_ENCRYPTION_KEY || undefined,
  apiBaseUrl: process.env.DINTERO_API_BASE_URL || "http://127.0.0.1:4550/v1",
  checkoutBaseUrl: process.env.DINTERO_CHECKOUT_BASE_URL || "http://127.0.0.1:4550/v1",
  ...(process.env.DINTERO_CALLBACK_DELAY_SECONDS ? { callbackDelaySeconds: Number(process.env.DINTERO_CALLBACK_DELAY_SECONDS) } : {}),
  ...(process.env.DINTERO_RETRY_BASE_DELAY_MS ? { retryBaseDelayMs: Number(process.env.DINTERO_RETRY_BASE_DELAY_MS) } : {}),
  reconciliation: {
    job: process.env.DINTERO_RECONCILIATION_JOB !== "off",
    ...(process.env.DINTERO_RECONCILIATION_PENDING_MINUTES
      ? { pendingForMinutes: Number(process.env.DINTERO_RECONCILIATION_PENDING_MINUTES) }
      : {}),
    ...(process.env.DINTERO_RECONCILIATION_VOID_AFTER_MINUTES
      ? { voidOrphansAfterMinutes: Number(process.env.DINTERO_RECONCILIATION_VOID_AFTER_MINUTES) }
      : {}),
  },
}

/**
 * The production layout on this repository's store (examples/medusa-config.production.ts is the merchant's
 * version): with MEDUSA_REDIS_MODULES=true, Medusa's event bus, workflow engine and locking use the Redis at
 * REDIS_URL, as several processes (`MEDUSA_WORKER_MODE` server / worker) need. MEDUSA_REDIS_NAMESPACE keeps
 * one run's queues and locks apart from another's on a shared Redis (the multi-process spec sets it);
 * MEDUSA_LOCKING=memory keeps Medusa's default in-memory locking, to see what a shared lock protects.
 */
function redisModules() {
  if (process.env.MEDUSA_REDIS_MODULES !== "true") {
    return []
  }
  const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379"
  const namespace = process.env.MEDUSA_REDIS_NAMESPACE
  // BullMQ's key prefix (default "bull") on every queue and worker of the event bus and the workflow engine,
  // and the locks' key prefix (default "medusa_lock:").
  const queues = namespace ? { queueOptions: { prefix: namespace }, workerOptions: { prefix: namespace } } : {}
  const locks = namespace ? { namespace: `${namespace}:lock:` } : {}
  return [
    { resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl, ...queues } },
    { resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl, ...queues } } },
    ...(process.env.MEDUSA_LOCKING === "memory"
      ? []
      : [
          {
            resolve: "@medusajs/medusa/locking",
            options: {
              providers: [
                { resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl, ...locks } },
              ],
            },
          },
        ]),
  ]
}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    workerMode: (process.env.MEDUSA_WORKER_MODE as "shared" | "server" | "worker" | undefined) || "shared",
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000",
      authCors: process.env.AUTH_CORS || "http://localhost:8000,http://localhost:9000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: process.env.MEDUSA_ADMIN_DISABLE === "true" },
  modules: [
    ...redisModules(),
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          { resolve: "./src/providers/dintero", id: "dintero", options: dinteroProviderOptions },
        ],
      },
    },
    {
      // Saved cards' sealed tokens (src/modules/dintero-card-vault); a store that installs the package gets
      // it from the plugin entry, like the subscription module below.
      resolve: "./src/modules/dintero-card-vault",
    },
    {
      // What the Dintero reconciliation found and did (src/modules/dintero-reconciliation); installed from the
      // plugin entry in a merchant's store, like the modules around it.
      resolve: "./src/modules/dintero-reconciliation",
    },
    {
      // Subscriptions (src/modules/subscription). A store that installs the package gets this module from the
      // plugin entry, with the plugin's options; here the repository's own src is the plugin.
      resolve: "./src/modules/subscription",
      options: {
        subscriptions: {
          renewalJob: process.env.SUBSCRIPTION_RENEWAL_JOB !== "off",
          // The storefront page card-update links open (the example storefront's account page).
          cardUpdateUrl: process.env.SUBSCRIPTION_CARD_UPDATE_URL || "http://localhost:8000/account/card-update?token={token}",
          ...(process.env.SUBSCRIPTION_RENEWAL_SCHEDULE ? { renewalSchedule: process.env.SUBSCRIPTION_RENEWAL_SCHEDULE } : {}),
          notifications: { job: process.env.SUBSCRIPTION_NOTICES_JOB !== "off" },
        },
      },
    },
    ...(process.env.LOCAL_EMAIL_NOTIFICATIONS === "true"
      ? [
          {
            // Medusa's local notification provider on the "email" channel too: it logs each notification (the
            // subscription notices) instead of sending it. The demo and the notices spec turn it on; without it
            // Medusa's default serves only "feed", and the notices are skipped with a warning.
            resolve: "@medusajs/medusa/notification",
            options: {
              providers: [
                { resolve: "@medusajs/medusa/notification-local", id: "local", options: { name: "Local Notification Provider", channels: ["feed", "email"] } },
              ],
            },
          },
        ]
      : []),
  ],
})

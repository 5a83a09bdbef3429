/**
 * medusa-config.ts of a merchant's store with medusa-payment-dintero in production: one or more server
 * instances and one or more worker instances on one PostgreSQL database and one Redis (README, "Running in
 * production (several processes)"). Every instance runs this same file; MEDUSA_WORKER_MODE picks its role:
 *
 *   MEDUSA_WORKER_MODE=server  API routes and the admin dashboard: Dintero's callbacks, the storefront, admins
 *   MEDUSA_WORKER_MODE=worker  subscribers and scheduled jobs: renewals, notices, reconciliation
 *   MEDUSA_WORKER_MODE=shared  both (the default: a single instance)
 *
 * The Redis modules are what make several instances one store (Medusa docs: "Worker Mode", "Redis Event Bus
 * Module", "Redis Workflow Engine Module", "Redis Locking Module Provider", "Redis Caching Module Provider").
 * The repository's own medusa-config.ts switches the same modules on with MEDUSA_REDIS_MODULES=true, and the
 * test suite runs two processes on them (integration-tests/http/multi-process.spec.ts).
 */
import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "production", process.cwd())

const workerMode = (process.env.MEDUSA_WORKER_MODE || "shared") as "shared" | "server" | "worker"
const redisUrl = process.env.REDIS_URL!

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    // Sessions of the admin and of logged-in customers, shared by every server instance.
    redisUrl,
    workerMode,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET!,
      cookieSecret: process.env.COOKIE_SECRET!,
    },
  },
  // A worker serves no HTTP: it has no dashboard to build or serve.
  admin: {
    disable: workerMode === "worker" || process.env.DISABLE_MEDUSA_ADMIN === "true",
    backendUrl: process.env.MEDUSA_BACKEND_URL,
  },
  // Medusa 2.21's Caching Module (which replaces the deprecated cache-redis module) is behind this flag.
  featureFlags: { caching: true },
  plugins: [
    {
      // The callback route, the saved-card and subscription routes, the renewal, notice and reconciliation
      // jobs, the subscription, card-vault and reconciliation modules. Jobs run on the worker(s) only.
      resolve: "medusa-payment-dintero",
      options: {
        subscriptions: { renewalSchedule: "*/15 * * * *", dunning: { retryDelaysDays: [1, 3, 7] } },
      },
    },
  ],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "medusa-payment-dintero/providers/dintero",
            id: "dintero", // → pp_dintero_dintero
            options: {
              accountId: process.env.DINTERO_ACCOUNT_ID, // P… in production
              clientId: process.env.DINTERO_CLIENT_ID,
              clientSecret: process.env.DINTERO_CLIENT_SECRET,
              // The public URL in front of the server instances (a load balancer): Dintero calls
              // {backendUrl}/hooks/dintero/callback and the signature covers that URL, whichever instance answers.
              backendUrl: process.env.MEDUSA_BACKEND_URL,
              returnUrl: `${process.env.STOREFRONT_URL}/checkout/dintero/return`,
              callbackSecret: process.env.DINTERO_CALLBACK_SECRET,
              saveCards: "subscriptions",
              // The same key on every instance: a card sealed by a server is charged by a worker.
              tokenEncryptionKey: process.env.DINTERO_TOKEN_ENCRYPTION_KEY,
            },
          },
        ],
      },
    },
    {
      // Events emitted on a server (order.placed after a Dintero callback) reach the subscribers on the
      // workers; the local event bus would keep them in the process that emitted them.
      resolve: "@medusajs/medusa/event-bus-redis",
      options: { redisUrl },
    },
    {
      // Workflow executions and scheduled jobs in Redis: each job tick is taken by one worker, not by every one.
      resolve: "@medusajs/medusa/workflow-engine-redis",
      options: { redis: { redisUrl } },
    },
    {
      // Locks every instance sees. Medusa's cart completion and the plugin (one Dintero callback at a time per
      // transaction, one renewal at a time per subscription, one operation at a time per payment) lock here;
      // the default in-memory provider would lock inside one process only. @medusajs/medusa/locking-postgres
      // is the alternative without Redis.
      resolve: "@medusajs/medusa/locking",
      options: {
        providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }],
      },
    },
    {
      resolve: "@medusajs/medusa/caching",
      options: {
        providers: [{ resolve: "@medusajs/caching-redis", id: "caching-redis", is_default: true, options: { redisUrl } }],
      },
    },
  ],
})

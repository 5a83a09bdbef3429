/**
 * medusa-config.ts of a merchant's store with medusa-payment-dintero, as verified against a fresh
 * Medusa 2.21.2 store installing the packed package. Secrets come from the environment.
 */
import { defineConfig, loadEnv } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET!,
      cookieSecret: process.env.COOKIE_SECRET!,
    },
  },
  plugins: [
    {
      // Loads the callback route, the saved-card and subscription routes, the renewal job and the
      // subscription, saved-card vault and reconciliation modules (with these options), and the
      // reconciliation job.
      resolve: "medusa-payment-dintero",
      options: {
        subscriptions: {
          renewalSchedule: "*/15 * * * *",
          dunning: { retryDelaysDays: [1, 3, 7] },
          // Notices to subscribers (README, "Notices"): a reminder a week before each yearly charge, a card
          // expiring before the next charge announced two weeks ahead. SendGrid names templates by id:
          notifications: {
            renewalReminderDays: 7,
            remindIntervals: ["year"],
            cardExpiryNoticeDays: 14,
            templates: { payment_failed: process.env.SENDGRID_TEMPLATE_PAYMENT_FAILED ?? "dintero-subscription-payment-failed" },
          },
        },
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
              accountId: process.env.DINTERO_ACCOUNT_ID, // T… while testing, P… in production
              clientId: process.env.DINTERO_CLIENT_ID,
              clientSecret: process.env.DINTERO_CLIENT_SECRET,
              backendUrl: process.env.MEDUSA_BACKEND_URL, // public URL: Dintero calls {backendUrl}/hooks/dintero/callback
              returnUrl: `${process.env.STOREFRONT_URL}/checkout/dintero/return`,
              callbackSecret: process.env.DINTERO_CALLBACK_SECRET,
              saveCards: "subscriptions",
              tokenEncryptionKey: process.env.DINTERO_TOKEN_ENCRYPTION_KEY, // openssl rand -base64 32
              // Payments whose callback never arrived: read back after 30 min, orphans voided after a day.
              reconciliation: { pendingForMinutes: 30, voidOrphansAfterMinutes: 24 * 60 },
              // Against the emulator instead of Dintero (npx medusa-payment-dintero-emulator):
              // apiBaseUrl: "http://127.0.0.1:4550/v1", checkoutBaseUrl: "http://127.0.0.1:4550/v1",
            },
          },
        ],
      },
    },
    {
      // The subscription notices go out on the "email" channel, through whichever provider serves it.
      resolve: "@medusajs/medusa/notification",
      options: {
        providers: [
          {
            resolve: "@medusajs/medusa/notification-sendgrid",
            id: "sendgrid",
            options: { channels: ["email"], api_key: process.env.SENDGRID_API_KEY, from: process.env.SENDGRID_FROM },
          },
        ],
      },
    },
  ],
})

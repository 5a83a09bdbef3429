import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"
import type { DunningPolicy } from "./dunning"

/**
 * Subscription options. In a store they are the plugin's options under `subscriptions`
 * (`plugins: [{ resolve: "medusa-payment-dintero", options: { subscriptions: { … } } }]`); Medusa hands a
 * plugin's options to each of its modules.
 */
export const subscriptionOptionsSchema = z.object({
  /** The payment provider that charges saved cards. */
  providerId: z.string().min(1).default("pp_dintero_dintero"),
  /** Cron of the renewal job. */
  renewalSchedule: z.string().min(1).default("*/15 * * * *"),
  /** Turn the scheduled job off (renewals can still be run by calling renewDueSubscriptions). */
  renewalJob: z.boolean().default(true),
  /** Subscriptions read per page by a renewal run (the next page is read while the current one is renewed). */
  batchSize: z.number().int().min(1).max(500).default(100),
  /**
   * Subscriptions renewed at the same time by one run. A renewal spends most of its time in Medusa's own order
   * creation and payment module (CPU and PostgreSQL), not waiting for Dintero: 4 keeps the CPU busy while charges
   * wait for Dintero's answer; more only queues on the CPU and Medusa's pool of 10 database connections and
   * renewed fewer per second in the bench (bench/RESULTS.md).
   */
  concurrency: z.number().int().min(1).max(32).default(4),
  /** Missed periods charged per subscription in one run, oldest first; the rest follow in the next runs. */
  maxPeriodsPerRun: z.number().int().min(1).max(100).default(12),
  /**
   * The storefront page a card-update link opens (workflows/card-setup), with `{token}` where the link's token
   * goes, e.g. `https://shop.example/account/card-update?token={token}`. Links cannot be issued without it.
   */
  cardUpdateUrl: z
    .string()
    .refine((value) => value.includes("{token}") && /^https?:\/\//.test(value), "must be an http(s) URL template containing {token}")
    .optional(),
  /** How long a card-update link works, unless the issuer says otherwise. */
  cardUpdateLinkTtlHours: z.number().positive().max(24 * 60).default(72),
  /**
   * Periods a subscriber (or an admin) may skip in any 12 months before the period skipped (rolling year,
   * counted from the skipped periods' starts). 0 turns skipping off.
   */
  maxSkipsPerYear: z.number().int().min(0).max(366).default(2),
  /** The most units of one line a customer may choose (a product's `metadata.subscription.max_quantity` can lower or raise it). */
  maxItemQuantity: z.number().int().min(1).max(10_000).default(10),
  dunning: z
    .object({
      /** Days after each failed attempt of a period before the next one (unless Dintero says otherwise). */
      retryDelaysDays: z.array(z.number().positive()).max(20).default([1, 3, 7]),
      /** After the last retry fails: cancel the subscription, or leave it past_due until the card is replaced. */
      onExhausted: z.enum(["cancel", "past_due"]).default("cancel"),
    })
    .prefault({}),
  notifications: z
    .object({
      /** Send the notices at all (events and the scheduled job). */
      enabled: z.boolean().default(true),
      /** Notification module channel; the store's provider for it delivers (e-mail, SMS…). */
      channel: z.string().min(1).default("email"),
      /** Run the scheduled job that sends renewal reminders and expiring-card notices. */
      job: z.boolean().default(true),
      /** Cron of that job. Each notice has its own idempotency key, so how often it runs changes nothing sent. */
      schedule: z.string().min(1).default("0 * * * *"),
      /** Days before a charge that the upcoming-renewal reminder is sent. */
      renewalReminderDays: z.number().positive().max(90).default(7),
      /**
       * Plans whose charges are announced by a reminder, by interval unit. Yearly by default: the card
       * networks' rules on recurring payments (and consumer law in several countries) ask merchants to warn
       * before a charge that comes rarely. A subscription's `metadata.renewal_reminder` (true/false) decides
       * for that subscription whatever its interval.
       */
      remindIntervals: z.array(z.enum(["day", "week", "month", "year"])).default(["year"]),
      /** Days before a renewal that a customer whose card will have expired by then is told to replace it. */
      cardExpiryNoticeDays: z.number().positive().max(90).default(14),
      /** Template names given to the notification provider, per notice. */
      templates: z
        .object({
          payment_failed: z.string().min(1).default("dintero-subscription-payment-failed"),
          past_due: z.string().min(1).default("dintero-subscription-past-due"),
          canceled: z.string().min(1).default("dintero-subscription-canceled"),
          card_expiring: z.string().min(1).default("dintero-subscription-card-expiring"),
          renewal_reminder: z.string().min(1).default("dintero-subscription-renewal-reminder"),
        })
        .prefault({}),
    })
    .prefault({}),
})

export type SubscriptionOptions = z.infer<typeof subscriptionOptionsSchema>
export type NoticeOptions = SubscriptionOptions["notifications"]
export type RenewalPolicy = Pick<SubscriptionOptions, "providerId" | "maxPeriodsPerRun"> & { dunning: DunningPolicy }

export function parseSubscriptionOptions(raw: unknown): SubscriptionOptions {
  const source = (raw as { subscriptions?: unknown } | undefined)?.subscriptions ?? {}
  const result = subscriptionOptionsSchema.safeParse(source)
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `"subscriptions.${issue.path.join(".")}" ${issue.message}`)
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid subscription options: ${problems.join("; ")}`)
  }
  return result.data
}

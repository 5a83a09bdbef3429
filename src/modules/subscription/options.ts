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
  /** Subscriptions read per page by a renewal run. */
  batchSize: z.number().int().min(1).max(500).default(50),
  /** Subscriptions renewed at the same time by one run. */
  concurrency: z.number().int().min(1).max(32).default(4),
  /** Missed periods charged per subscription in one run, oldest first; the rest follow in the next runs. */
  maxPeriodsPerRun: z.number().int().min(1).max(100).default(12),
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
})

export type SubscriptionOptions = z.infer<typeof subscriptionOptionsSchema>
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

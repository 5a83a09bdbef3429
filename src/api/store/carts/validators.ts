import { z } from "@medusajs/framework/zod"

/** Only what to add: the plan, trial and price are the merchant's (the variant's or product's metadata). */
export const StoreAddSubscriptionItem = z
  .object({ variant_id: z.string().min(1), quantity: z.number().int().min(1).max(10_000).default(1) })
  .strict()
export type StoreAddSubscriptionItemType = z.infer<typeof StoreAddSubscriptionItem>

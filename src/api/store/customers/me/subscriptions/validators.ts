import { z } from "@medusajs/framework/zod"

/** Customers cancel at the end of the period they paid for unless they ask for now. */
export const StoreCancelSubscription = z.object({ at_period_end: z.boolean().default(true) }).strict()
export type StoreCancelSubscriptionType = z.infer<typeof StoreCancelSubscription>

export const StoreSubscriptionCardChange = z.object({ card_id: z.string().min(1) }).strict()
export type StoreSubscriptionCardChangeType = z.infer<typeof StoreSubscriptionCardChange>

export const StoreEmptyBody = z.object({}).strict()

/**
 * Variants and quantities only: a line naming a price, title or VAT is refused (strict), so the storefront
 * can never set what a renewal bills; Medusa's pricing does.
 */
export const StoreChangeSubscriptionItems = z
  .object({
    items: z
      .array(z.object({ variant_id: z.string().min(1), quantity: z.number().int().min(1).max(10_000) }).strict())
      .min(1)
      .max(50),
  })
  .strict()
export type StoreChangeSubscriptionItemsType = z.infer<typeof StoreChangeSubscriptionItems>

import { z } from "@medusajs/framework/zod"

/** Customers cancel at the end of the period they paid for unless they ask for now. */
export const StoreCancelSubscription = z.object({ at_period_end: z.boolean().default(true) }).strict()
export type StoreCancelSubscriptionType = z.infer<typeof StoreCancelSubscription>

export const StoreSubscriptionCardChange = z.object({ card_id: z.string().min(1) }).strict()
export type StoreSubscriptionCardChangeType = z.infer<typeof StoreSubscriptionCardChange>

export const StoreEmptyBody = z.object({}).strict()

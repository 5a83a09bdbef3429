import { z } from "@medusajs/framework/zod"

const useForSubscriptions = z.union([
  z.literal("all"),
  z.array(z.string().min(1).max(100)).min(1, "name at least one subscription, or \"all\"").max(100),
])

/**
 * Saving a card without a purchase. `use_for_subscriptions`: the customer's subscriptions the new card pays
 * from now on (ids, or "all" of the live ones). `payment_product_type`: a card product to tokenize, the
 * provider's own when omitted; anything that is not a card is refused with the reason.
 */
export const StoreStartCardSetup = z
  .object({
    payment_product_type: z.string().min(1).max(100).optional(),
    return_url: z.string().url().max(2000).optional(),
    use_for_subscriptions: useForSubscriptions.optional(),
  })
  .strict()
export type StoreStartCardSetupType = z.infer<typeof StoreStartCardSetup>

export const StoreEmptyCardSetupBody = z.object({}).strict()

/** A card-update link's token travels in the body, never in a URL of this API (URLs end up in access logs). */
const token = z.string().min(1, "token is required").max(200)

export const StoreCardUpdateLink = z.object({ token }).strict()
export type StoreCardUpdateLinkType = z.infer<typeof StoreCardUpdateLink>

export const StoreStartCardUpdateLinkSetup = z
  .object({ token, payment_product_type: z.string().min(1).max(100).optional(), return_url: z.string().url().max(2000).optional() })
  .strict()
export type StoreStartCardUpdateLinkSetupType = z.infer<typeof StoreStartCardUpdateLinkSetup>

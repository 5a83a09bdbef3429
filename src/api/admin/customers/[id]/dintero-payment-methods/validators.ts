import { z } from "@medusajs/framework/zod"

/** GET /admin/customers/:id/dintero-payment-methods(/:card_id): no parameters. */
export const AdminGetSavedCards = z.object({}).strict()

/**
 * DELETE /admin/customers/:id/dintero-payment-methods/:card_id?confirm=true. Without `confirm` a card that
 * live subscriptions pay with is not deleted (409, naming them); `confirm=true` is the merchant's answer to
 * the confirmation that named them. Query strings are text: only "true" and "false" are booleans here.
 */
export const AdminDeleteSavedCard = z
  .object({
    confirm: z
      .union([z.boolean(), z.enum(["true", "false"], { message: 'confirm must be "true" or "false"' })])
      .optional()
      .transform((value) => value === true || value === "true"),
  })
  .strict()
export type AdminDeleteSavedCardQuery = z.infer<typeof AdminDeleteSavedCard>

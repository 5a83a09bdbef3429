import { z } from "@medusajs/framework/zod"

/** Amounts in the currency's major units, like Medusa's own POST /admin/payments/:id/capture. */
export const AdminDinteroCapture = z
  .object({
    amount: z.number().positive(),
    /** The last capture of this payment: the rest of the authorization is released with it. */
    final: z.boolean().default(false),
  })
  .strict()
export type AdminDinteroCaptureBody = z.infer<typeof AdminDinteroCapture>

export const EmptyBody = z.object({}).strict()

/** The payment id of /admin/dintero/payments/:id: Medusa's payment ids (`pay_…`), nothing else reaches a query. */
export const AdminDinteroPaymentParams = z.object({ id: z.string().regex(/^pay_[A-Za-z0-9]+$/, "must be a Medusa payment id (pay_…)") })

import { z } from "@medusajs/framework/zod"

/** POST /admin/dintero/reconciliation: a run takes no parameters (its bounds are the provider's options). */
export const AdminRunReconciliation = z.object({}).strict()

/** GET /admin/dintero/reconciliation: the findings, newest first, optionally of one kind. */
export const AdminListReconciliationFindings = z
  .object({
    kind: z.enum(["completed", "orphan", "voided"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict()
export type AdminListReconciliationFindingsQuery = z.infer<typeof AdminListReconciliationFindings>

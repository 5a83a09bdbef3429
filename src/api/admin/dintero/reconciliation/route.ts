import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { DINTERO_RECONCILIATION_MODULE, type DinteroReconciliationModuleService } from "../../../../modules/dintero-reconciliation"
import { reconcileDinteroPayments } from "../../../../workflows/reconcile-dintero-payments"
import type { AdminListReconciliationFindingsQuery } from "./validators"

/**
 * POST /admin/dintero/reconciliation — runs the reconciliation now (as the scheduled job does) and answers
 * its report; 409 while another run is in progress.
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const report = await reconcileDinteroPayments(req.scope, { trigger: "admin" })
  if (!report.ran) {
    res.status(409).json({ message: report.reason })
    return
  }
  res.json({ run: report })
}

/**
 * GET /admin/dintero/reconciliation — what the runs found: payments completed after a lost callback,
 * authorizations with no order (orphans, with when they will be voided) and those voided; and the last runs.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const query = req.validatedQuery as unknown as AdminListReconciliationFindingsQuery
  const service = req.scope.resolve(DINTERO_RECONCILIATION_MODULE) as DinteroReconciliationModuleService
  const [findings, count] = await service.listAndCountDinteroReconciliationFindings(query.kind ? { kind: query.kind } : {}, {
    order: { updated_at: "DESC" },
    take: query.limit,
    skip: query.offset,
  })
  const runs = await service.listDinteroReconciliationRuns({}, { order: { started_at: "DESC" }, take: 5 })
  res.json({ findings, count, limit: query.limit, offset: query.offset, runs })
}

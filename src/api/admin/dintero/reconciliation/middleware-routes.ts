import { validateAndTransformBody, validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import { AdminListReconciliationFindings, AdminRunReconciliation } from "./validators"

/** Validation of the admin reconciliation routes (Medusa authenticates every /admin route). */
export const adminDinteroReconciliationMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/dintero/reconciliation", method: ["POST"], middlewares: [validateAndTransformBody(AdminRunReconciliation)] },
  {
    matcher: "/admin/dintero/reconciliation",
    method: ["GET"],
    middlewares: [validateAndTransformQuery(AdminListReconciliationFindings, { defaults: [], isList: false })],
  },
]

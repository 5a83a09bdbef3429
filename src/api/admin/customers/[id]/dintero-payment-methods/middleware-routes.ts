import { validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import { AdminDeleteSavedCard, AdminGetSavedCards } from "./validators"

const retrieve = { defaults: [], isList: false }

/** Query validation of the admin saved-card routes (Medusa authenticates every /admin route). */
export const adminSavedCardMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/customers/:id/dintero-payment-methods", method: ["GET"], middlewares: [validateAndTransformQuery(AdminGetSavedCards, retrieve)] },
  {
    matcher: "/admin/customers/:id/dintero-payment-methods/:card_id",
    method: ["GET"],
    middlewares: [validateAndTransformQuery(AdminGetSavedCards, retrieve)],
  },
  {
    matcher: "/admin/customers/:id/dintero-payment-methods/:card_id",
    method: ["DELETE"],
    middlewares: [validateAndTransformQuery(AdminDeleteSavedCard, retrieve)],
  },
]

import { validateAndTransformBody, type MiddlewareRoute } from "@medusajs/framework/http"
import { AdminDinteroCapture, EmptyBody } from "./validators"

/** Body validation of the admin Dintero payment routes (Medusa authenticates every /admin route). */
export const adminDinteroPaymentMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/dintero/payments/:id/capture", method: ["POST"], middlewares: [validateAndTransformBody(AdminDinteroCapture)] },
  { matcher: "/admin/dintero/payments/:id/release", method: ["POST"], middlewares: [validateAndTransformBody(EmptyBody)] },
]

import { validateAndTransformBody, type MiddlewareRoute } from "@medusajs/framework/http"
import { StoreAddSubscriptionItem } from "./validators"

export const storeCartSubscriptionMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store/carts/:id/subscription-items", method: ["POST"], middlewares: [validateAndTransformBody(StoreAddSubscriptionItem)] },
]

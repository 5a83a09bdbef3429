import { authenticate, validateAndTransformBody, type MiddlewareRoute } from "@medusajs/framework/http"
import { StoreCancelSubscription, StoreChangeSubscriptionItems, StoreEmptyBody, StoreSubscriptionCardChange } from "./validators"

const base = "/store/customers/me/subscriptions"

/** The logged-in customer's own subscriptions; every route takes the customer id from the session only. */
export const storeSubscriptionMiddlewares: MiddlewareRoute[] = [
  { matcher: `${base}*`, middlewares: [authenticate("customer", ["session", "bearer"])] },
  { matcher: `${base}/:id/cancel`, method: ["POST"], middlewares: [validateAndTransformBody(StoreCancelSubscription)] },
  { matcher: `${base}/:id/card`, method: ["POST"], middlewares: [validateAndTransformBody(StoreSubscriptionCardChange)] },
  { matcher: `${base}/:id/pause`, method: ["POST"], middlewares: [validateAndTransformBody(StoreEmptyBody)] },
  { matcher: `${base}/:id/resume`, method: ["POST"], middlewares: [validateAndTransformBody(StoreEmptyBody)] },
  { matcher: `${base}/:id/skip`, method: ["POST"], middlewares: [validateAndTransformBody(StoreEmptyBody)] },
  { matcher: `${base}/:id/unskip`, method: ["POST"], middlewares: [validateAndTransformBody(StoreEmptyBody)] },
  { matcher: `${base}/:id/items`, method: ["POST"], middlewares: [validateAndTransformBody(StoreChangeSubscriptionItems)] },
]

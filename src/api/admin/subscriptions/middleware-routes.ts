import { validateAndTransformBody, type MiddlewareRoute } from "@medusajs/framework/http"
import {
  AdminCancelSubscription,
  AdminChangeSubscriptionPlan,
  AdminCreateSubscription,
  AdminIssueCardUpdateLink,
  EmptyBody,
  SubscriptionCardChange,
} from "./validators"

/** Body validation of the admin subscription routes (Medusa authenticates every /admin route). */
export const adminSubscriptionMiddlewares: MiddlewareRoute[] = [
  { matcher: "/admin/subscriptions", method: ["POST"], middlewares: [validateAndTransformBody(AdminCreateSubscription)] },
  { matcher: "/admin/subscriptions/:id/change-plan", method: ["POST"], middlewares: [validateAndTransformBody(AdminChangeSubscriptionPlan)] },
  { matcher: "/admin/subscriptions/:id/change-plan/preview", method: ["POST"], middlewares: [validateAndTransformBody(AdminChangeSubscriptionPlan)] },
  { matcher: "/admin/subscriptions/:id/cancel", method: ["POST"], middlewares: [validateAndTransformBody(AdminCancelSubscription)] },
  { matcher: "/admin/subscriptions/:id/card", method: ["POST"], middlewares: [validateAndTransformBody(SubscriptionCardChange)] },
  { matcher: "/admin/subscriptions/:id/pause", method: ["POST"], middlewares: [validateAndTransformBody(EmptyBody)] },
  { matcher: "/admin/subscriptions/:id/resume", method: ["POST"], middlewares: [validateAndTransformBody(EmptyBody)] },
  { matcher: "/admin/subscriptions/:id/card-update-link", method: ["POST"], middlewares: [validateAndTransformBody(AdminIssueCardUpdateLink)] },
  { matcher: "/admin/subscriptions/:id/charge", method: ["POST"], middlewares: [validateAndTransformBody(EmptyBody)] },
  { matcher: "/admin/subscriptions/:id/skip", method: ["POST"], middlewares: [validateAndTransformBody(EmptyBody)] },
  { matcher: "/admin/subscriptions/:id/unskip", method: ["POST"], middlewares: [validateAndTransformBody(EmptyBody)] },
]

import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/framework/http"
import { assertStorefrontData } from "../../../providers/dintero/storefront-data"

/**
 * Medusa's own store route creating a payment session replaces the cart's existing sessions while it
 * creates the new one (core-flows createPaymentSessionsWorkflow), so a refusal from the provider would
 * come after the old Dintero session was cancelled. Storefront data for the Dintero provider is checked
 * here, before anything changes; the provider checks it again for callers that bypass this route.
 */
function refuseProviderOwnedData(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  const body = (req.body ?? {}) as { provider_id?: unknown; data?: unknown }
  if (typeof body.provider_id === "string" && body.provider_id.startsWith("pp_dintero_")) {
    try {
      assertStorefrontData(body.data)
    } catch (error) {
      return next(error)
    }
  }
  next()
}

export const storePaymentSessionMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store/payment-collections/:id/payment-sessions", method: ["POST"], middlewares: [refuseProviderOwnedData] },
]

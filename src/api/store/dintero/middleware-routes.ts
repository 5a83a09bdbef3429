import { validateAndTransformBody, type MiddlewareRoute } from "@medusajs/framework/http"
import { StoreCardUpdateLink, StoreEmptyCardSetupBody, StoreStartCardSetup, StoreStartCardUpdateLinkSetup } from "./validators"

/**
 * Saving a card without a purchase: /store/dintero/payment-methods/sessions* is for the logged-in customer
 * (authenticated with the rest of /store/dintero/payment-methods* in middlewares.ts); /store/dintero/card-update-link*
 * needs no login, the link's token is the credential.
 */
export const storeCardSetupMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store/dintero/payment-methods/sessions", method: ["POST"], middlewares: [validateAndTransformBody(StoreStartCardSetup)] },
  { matcher: "/store/dintero/payment-methods/sessions/:id/complete", method: ["POST"], middlewares: [validateAndTransformBody(StoreEmptyCardSetupBody)] },
  { matcher: "/store/dintero/card-update-link", method: ["POST"], middlewares: [validateAndTransformBody(StoreCardUpdateLink)] },
  { matcher: "/store/dintero/card-update-link/sessions", method: ["POST"], middlewares: [validateAndTransformBody(StoreStartCardUpdateLinkSetup)] },
  { matcher: "/store/dintero/card-update-link/sessions/:id/complete", method: ["POST"], middlewares: [validateAndTransformBody(StoreCardUpdateLink)] },
]

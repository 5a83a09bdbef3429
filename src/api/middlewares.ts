import { authenticate, defineMiddlewares } from "@medusajs/framework/http"
import { adminSavedCardMiddlewares } from "./admin/customers/[id]/dintero-payment-methods/middleware-routes"
import { adminDinteroPaymentMiddlewares } from "./admin/dintero/payments/middleware-routes"
import { adminDinteroReconciliationMiddlewares } from "./admin/dintero/reconciliation/middleware-routes"
import { adminSubscriptionMiddlewares } from "./admin/subscriptions/middleware-routes"
import { storeCardSetupMiddlewares } from "./store/dintero/middleware-routes"
import { storeCartCardVerificationMiddlewares } from "./store/carts/card-verification-middleware-routes"
import { storeCartSubscriptionMiddlewares } from "./store/carts/middleware-routes"
import { storeSubscriptionMiddlewares } from "./store/customers/me/subscriptions/middleware-routes"
import { storePaymentSessionMiddlewares } from "./store/payment-collections/middleware-routes"

export default defineMiddlewares({
  routes: [
    {
      // Saved cards belong to a logged-in customer; the routes take the customer id from the session only.
      matcher: "/store/dintero/payment-methods*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
    // Subscriptions: body validation for /admin/subscriptions, customer auth + validation for /store/customers/me/subscriptions.
    ...adminSubscriptionMiddlewares,
    // Admin Dintero payment operations: capture (optionally final) and release of the uncaptured rest.
    ...adminDinteroPaymentMiddlewares,
    // A customer's saved cards: list, preview and delete (refused while subscriptions pay with the card, unless confirmed).
    ...adminSavedCardMiddlewares,
    // Reconciliation: run it now, read its findings.
    ...adminDinteroReconciliationMiddlewares,
    ...storeSubscriptionMiddlewares,
    // Saving a card without a purchase (logged in), and card-update links (no login, the token is the credential).
    ...storeCardSetupMiddlewares,
    // A subscription product added to a cart with the merchant's plan and trial price.
    ...storeCartSubscriptionMiddlewares,
    // A free trial (nothing to pay, a subscription starts): its card verification is authorized before Medusa completes the cart.
    ...storeCartCardVerificationMiddlewares,
    // Storefront data for a Dintero payment session carries only the storefront's own keys.
    ...storePaymentSessionMiddlewares,
  ],
})

import { authenticate, defineMiddlewares } from "@medusajs/framework/http"

export default defineMiddlewares({
  routes: [
    {
      // Saved cards belong to a logged-in customer; the routes take the customer id from the session only.
      matcher: "/store/dintero/payment-methods*",
      middlewares: [authenticate("customer", ["session", "bearer"])],
    },
  ],
})

import Medusa from "@medusajs/js-sdk"

/** The admin's JS SDK client, as Medusa's admin customization docs set it up: the dashboard's session. */
export const sdk = new Medusa({
  baseUrl: import.meta.env.VITE_BACKEND_URL || "/",
  debug: import.meta.env.DEV,
  auth: {
    type: "session",
  },
})

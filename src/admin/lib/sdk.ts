import Medusa from "@medusajs/js-sdk"

/**
 * The JS SDK as Medusa's docs set it up for a plugin's admin customizations ("Admin Development Tips"):
 * the dashboard's own backend URL, and the admin's session cookie for authentication.
 */
export const sdk = new Medusa({
  baseUrl: (typeof __BACKEND_URL__ !== "undefined" && __BACKEND_URL__) || "/",
  auth: { type: "session" },
})

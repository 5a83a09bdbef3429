import Medusa from "@medusajs/js-sdk"

// The admin's JS SDK client, as Medusa's docs set it up for a plugin ("Admin Development Tips"):
// __BACKEND_URL__ is defined by the admin build of the store that installs the plugin.
export const sdk = new Medusa({
  // add __BACKEND_URL__ to src/admin/vite-env.d.ts if you get type errors
  baseUrl: __BACKEND_URL__ || "/",
  auth: {
    type: "session",
  },
})

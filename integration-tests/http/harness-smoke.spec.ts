import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdminAndLogin } from "../helpers/admin-user"
import { STORE_WITHOUT_DINTERO_DIR } from "../helpers/stores"
import { fetchHttp, fromAxios } from "../../scripts/lib/http"
import { seedStore } from "../../scripts/lib/seed-store"
import {
  completeCart,
  initiatePaymentSession,
  prepareCart,
  registerCustomer,
  storeClient,
} from "../../scripts/lib/store-checkout"

jest.setTimeout(120_000)

/** Proves the harness (admin login, seeding, store checkout) on a store without the Dintero provider. */
medusaIntegrationTestRunner({
  medusaConfigFile: STORE_WITHOUT_DINTERO_DIR,
  testSuite: ({ api, getContainer }) => {
    it("a guest checks out with the system provider and the order shows up in the admin", async () => {
      const admin = await createAdminAndLogin(getContainer(), api)
      const seeded = await seedStore(admin.http, { paymentProviders: ["pp_system_default"] })
      const store = storeClient(fromAxios(api), seeded.publishableKey)

      const { cart, paymentCollection } = await prepareCart(store, {
        regionId: seeded.regionId,
        variantId: seeded.variantId,
        quantity: 2,
      })
      expect(cart.shipping_methods).toHaveLength(1)
      // 2 × 299 + 49 shipping, plus 25 % VAT on top (prices are tax-exclusive).
      expect(cart.total).toBe((2 * 299 + 49) * 1.25)

      const { paymentSession } = await initiatePaymentSession(store, paymentCollection.id, "pp_system_default")
      expect(paymentSession.status).toBe("pending")

      const completed = await completeCart(store, cart.id)
      expect(completed.status).toBe(200)
      expect(completed.data.type).toBe("order")

      // `+email`: add to the route's default fields (email is not among them); `+` must be URL-encoded.
      const orderPath = `/admin/orders/${completed.data.order.id}?fields=${encodeURIComponent("+email")}`
      const { status, data } = await admin.http.get(orderPath)
      expect(status).toBe(200)
      expect(data.order.email).toBe("buyer@example.com")
      expect(data.order.payment_collections[0].status).toBe("authorized")
    })

    it("seeding twice reuses the seeded store; a registered customer gets a cart of their own (fetch adapter)", async () => {
      const admin = await createAdminAndLogin(getContainer(), api)
      const first = await seedStore(admin.http, { paymentProviders: ["pp_system_default"] })
      const second = await seedStore(admin.http, { paymentProviders: ["pp_system_default"] })
      expect(second).toEqual(first)

      // The demo's fetch adapter, against the same server.
      const store = storeClient(fetchHttp(api.defaults.baseURL), first.publishableKey)
      const customer = await registerCustomer(store, "kari@example.com", "hunter2hunter2")
      const { data } = await store.post(
        "/store/carts",
        { region_id: first.regionId, items: [{ variant_id: first.variantId, quantity: 1 }] },
        { headers: customer.headers }
      )
      expect(data.cart.customer_id).toBe(customer.customerId)
      expect(data.cart.email).toBe("kari@example.com")
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdminAndLogin } from "../helpers/admin-user"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, listOrders } from "../helpers/dintero-checkout"
import { fromAxios, withHeaders, type StoreHttp } from "../../scripts/lib/http"
import { seedStore, type SeededStore } from "../../scripts/lib/seed-store"
import {
  completeCart,
  completeCartOnReturn,
  initiatePaymentSession,
  initiatePaymentSessionRaw,
  prepareCart,
  registerCustomer,
  storeClient,
} from "../../scripts/lib/store-checkout"

jest.setTimeout(120_000)

const dintero = useDinteroEmulator({ callbackSecret: null })

/** Every store API response body of a test, to prove no raw card token is ever returned. */
function recording(http: StoreHttp, seen: string[]): StoreHttp {
  const record = async <T>(response: Promise<{ status: number; data: T }>) => {
    const result = await response
    seen.push(JSON.stringify(result.data))
    return result
  }
  return {
    get: (path, opts) => record(http.get(path, opts)),
    post: (path, body, opts) => record(http.post(path, body, opts)),
    delete: (path, opts) => record(http.delete(path, opts)),
  }
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: StoreHttp
    let store: StoreHttp
    let seeded: SeededStore
    let storeResponses: string[]

    beforeEach(async () => {
      admin = (await createAdminAndLogin(getContainer(), api)).http
      seeded = await seedStore(admin)
      storeResponses = []
      store = recording(storeClient(fromAxios(api), seeded.publishableKey), storeResponses)
    })

    async function customer(email: string) {
      const registered = await registerCustomer(store, email, "correct-horse-battery")
      return { ...registered, store: withHeaders(store, registered.headers) }
    }

    /** A checkout by `shopper` paid on Dintero's page; the storefront completes the cart on return. */
    async function checkout(shopper: StoreHttp, email: string, data: Record<string, unknown>, pay: { card?: string; useSavedToken?: boolean }) {
      const { cart, paymentCollection } = await prepareCart(shopper, { regionId: seeded.regionId, variantId: seeded.variantId, email })
      const { paymentSession } = await initiatePaymentSession(shopper, paymentCollection.id, DINTERO_PROVIDER_ID, data)
      const paid = await dintero.emulator.pay(paymentSession.data.dintero.session_id, { ...pay, cvc: "123" })
      expect(paid.transactionId).toBeDefined()
      const completed = await completeCartOnReturn(shopper, cart.id)
      expect(completed.data.type).toBe("order")
      await dintero.emulator.waitForCallbacks((d) => d.transactionId === paid.transactionId && d.outcome === "delivered", 20_000)
      return { paymentSession, transactionId: paid.transactionId! }
    }

    const listCards = async (shopper: StoreHttp) => shopper.get<any>("/store/dintero/payment-methods")

    it("a logged-in customer who asks to save the card gets it saved once, listed masked, and reusable in one click", async () => {
      // Record every log call, whatever the level, to prove no token is ever logged.
      const logger = getContainer().resolve("logger") as unknown as Record<string, (...args: unknown[]) => void>
      const logged: string[] = []
      const spies = ["debug", "info", "warn", "error", "log"].map((level) =>
        jest.spyOn(logger, level as any).mockImplementation((...args: unknown[]) => {
          logged.push(args.map(String).join(" "))
        })
      )
      const kari = await customer("kari@example.com")
      const first = await checkout(kari.store, "kari@example.com", { save_card: true }, { card: "4111111111111111" })

      // Dintero was asked for a payment token for the configured card product.
      const created = dintero.emulator.requests().filter((r: any) => r.path === "/v1/sessions-profile").at(-1) as any
      expect(created.body.configuration.dintero_psp.creditcard).toEqual({ enabled: true, generate_payment_token: true })

      // The callback and the cart completion both authorized the payment: still one card.
      const listed = await listCards(kari.store)
      expect(listed.status).toBe(200)
      expect(listed.data.payment_methods).toEqual([
        expect.objectContaining({
          id: expect.stringMatching(/^dcard_/),
          provider_id: DINTERO_PROVIDER_ID,
          brand: expect.any(String),
          masked_pan: expect.stringMatching(/1111$/),
          expiry_date: expect.stringMatching(/^\d{2}\/\d{4}$/),
          expired: false,
          source_transaction_id: first.transactionId,
        }),
      ])
      const card = listed.data.payment_methods[0]
      expect(card.sealed_tokens).toBeUndefined()

      const adminView = await admin.get<any>(`/admin/customers/${kari.customerId}/dintero-payment-methods`)
      expect(adminView.data.payment_methods.map((m: any) => m.id)).toEqual([card.id])
      expect(adminView.data.payment_methods[0].sealed_tokens).toBeUndefined()

      // One-click: the saved card's token goes to Dintero in the new session; the payer confirms with CVC.
      await checkout(kari.store, "kari@example.com", { payment_method_id: card.id }, { useSavedToken: true })
      const [token] = dintero.emulator.tokens()
      const oneClick = dintero.emulator.requests().filter((r: any) => r.path === "/v1/sessions-profile").at(-1) as any
      expect(oneClick.body.customer.tokens["dintero_psp.creditcard"].payment_token).toBe(token.token)
      expect(await listOrders(admin)).toHaveLength(2)
      expect((await listCards(kari.store)).data.payment_methods).toHaveLength(1)

      // No raw token in anything the store API returned, nor in any log line, during the whole flow.
      spies.forEach((spy) => spy.mockRestore())
      expect(storeResponses.length).toBeGreaterThan(10)
      expect(logged.some((line) => line.includes("/v1/sessions-profile"))).toBe(true)
      for (const text of [...storeResponses, ...logged]) {
        expect(text).not.toContain(token.token)
      }
    })

    it("a guest is never tokenized, even when the storefront asks", async () => {
      const { cart, paymentCollection } = await prepareCart(store, { regionId: seeded.regionId, variantId: seeded.variantId })
      const { paymentSession } = await initiatePaymentSession(store, paymentCollection.id, DINTERO_PROVIDER_ID, { save_card: true })
      const created = dintero.emulator.requests().filter((r: any) => r.path === "/v1/sessions-profile").at(-1) as any
      expect(created.body.configuration.dintero_psp).toBeUndefined()

      await dintero.emulator.pay(paymentSession.data.dintero.session_id, { card: "4111111111111111" })
      expect((await completeCart(store, cart.id)).data.type).toBe("order")
      expect(dintero.emulator.tokens()).toHaveLength(0)
      expect((await store.get("/store/dintero/payment-methods")).status).toBe(401)
    })

    it("without a request the card is not saved", async () => {
      const ola = await customer("ola@example.com")
      await checkout(ola.store, "ola@example.com", {}, { card: "4111111111111111" })
      expect(dintero.emulator.tokens()).toHaveLength(0)
      expect((await listCards(ola.store)).data.payment_methods).toEqual([])
    })

    it("another customer can neither list, use nor delete someone's saved card; the owner can delete it", async () => {
      const kari = await customer("kari@example.com")
      await checkout(kari.store, "kari@example.com", { save_card: true }, { card: "5555555555554444" })
      const [card] = (await listCards(kari.store)).data.payment_methods

      const mallory = await customer("mallory@example.com")
      expect((await listCards(mallory.store)).data.payment_methods).toEqual([])
      expect((await mallory.store.delete(`/store/dintero/payment-methods/${card.id}`)).status).toBe(404)

      const { paymentCollection } = await prepareCart(mallory.store, { regionId: seeded.regionId, variantId: seeded.variantId, email: "mallory@example.com" })
      const stolen = await initiatePaymentSessionRaw(mallory.store, paymentCollection.id, DINTERO_PROVIDER_ID, { payment_method_id: card.id })
      expect(stolen.status).toBe(404)
      expect(JSON.stringify(stolen.data)).toMatch(/not found/i)
      // Mallory now has an account holder of her own: someone else's card, or one that does not exist, is still a 404.
      for (const id of [card.id, "dcard_doesnotexist"]) {
        const refused = await mallory.store.delete(`/store/dintero/payment-methods/${id}`)
        expect(refused.status).toBe(404)
        expect(refused.data.message).toBe(`Saved card ${id} was not found.`)
      }
      expect((await listCards(kari.store)).data.payment_methods).toHaveLength(1)

      // Nor can the owner charge the saved card from the storefront without confirming on Dintero's page.
      const { paymentCollection: own } = await prepareCart(kari.store, { regionId: seeded.regionId, variantId: seeded.variantId, email: "kari@example.com" })
      const skipConfirmation = await initiatePaymentSessionRaw(kari.store, own.id, DINTERO_PROVIDER_ID, {
        merchant_initiated: { card_id: card.id, merchant_reference: "sneaky" },
      })
      expect(skipConfirmation.status).toBe(400)
      expect(JSON.stringify(skipConfirmation.data)).toMatch(/cannot be requested from a storefront/)
      expect(dintero.emulator.charges()).toHaveLength(0)

      const deleted = await kari.store.delete(`/store/dintero/payment-methods/${card.id}`)
      expect(deleted.status).toBe(200)
      expect(deleted.data).toEqual({ id: card.id, object: "payment_method", deleted: true })
      expect((await listCards(kari.store)).data.payment_methods).toEqual([])
    })
  },
})

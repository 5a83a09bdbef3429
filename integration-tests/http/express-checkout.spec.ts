import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ensureOk } from "../../scripts/lib/http"
import { useSeededStore } from "../helpers/seeded-store"
import { createPercentOffCode } from "../../scripts/lib/seed-store"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, listOrders } from "../helpers/dintero-checkout"
import { callbackQuery, signedCallback } from "../helpers/dintero-callbacks"
import { createCart, createPaymentCollection, initiatePaymentSession, retrieveCart } from "../../scripts/lib/store-checkout"

jest.setTimeout(180_000)

/**
 * Dintero Checkout Express (docs/express.md): the shopper gives address, shipping option and discount code inside
 * Dintero's checkout, driven here through the emulator's control API as Dintero's page would, and the Medusa cart
 * follows; Medusa's prices, taxes and promotions decide every amount. Seeded store: 299 NOK a unit, 49 NOK
 * shipping, 25 % MVA, Norway.
 */
// The reconciliation case reads sessions back at once; the scheduled job stays off so that only the test runs it.
process.env.DINTERO_RECONCILIATION_PENDING_MINUTES = "0"
process.env.DINTERO_RECONCILIATION_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: CALLBACK_SECRET })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    /** The emulator's test control API (what Dintero's checkout page does). */
    async function control(path: string, body: unknown = {}) {
      const response = await fetch(`${dintero.emulator.url}/__emulator/sessions/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      })
      const text = await response.text()
      return { status: response.status, body: text ? JSON.parse(text) : undefined }
    }

    /** A cart on the cart page: items only, no address, no shipping method; an express payment session. */
    async function expressCheckout(quantity = 2) {
      const cart = await createCart(shop.store, { regionId: shop.seeded.regionId, items: [{ variant_id: shop.seeded.variantId, quantity }] })
      const collection = await createPaymentCollection(shop.store, cart.id)
      const { paymentSession } = await initiatePaymentSession(shop.store, collection.id, DINTERO_PROVIDER_ID, { express: true })
      return { cartId: cart.id as string, paymentSession, sessionId: paymentSession.data.dintero.session_id as string }
    }

    const OSLO = {
      first_name: "Kari",
      last_name: "Nordmann",
      address_line: "Karl Johans gate 1",
      postal_code: "0154",
      postal_place: "Oslo",
      country: "NO",
      email: "kari@example.com",
      phone_number: "+4799999999",
    }

    const emulatorSession = (id: string) => dintero.emulator.sessions().find((s: any) => s.id === id) as any

    async function cartOf(cartId: string) {
      return retrieveCart(shop.store, cartId, "+shipping_address.*,+tax_total,+total,*shipping_methods,+promotions.code")
    }

    async function callbackDelivered(transactionId: string) {
      await dintero.emulator.waitForCallbacks((d) => d.url.includes(`transaction_id=${encodeURIComponent(transactionId)}`) && d.status === 200, 20_000)
    }

    const promotion = (code: string, percent: number) => createPercentOffCode(shop.admin, code, percent)

    it("an express session carries Medusa's shipping options with VAT and the plugin's callback URLs; the storefront gets the session id and checkout URL", async () => {
      const { paymentSession, sessionId, cartId } = await expressCheckout()

      expect(paymentSession.data.dintero).toEqual(
        expect.objectContaining({ session_id: sessionId, checkout_url: expect.any(String), express: true, cart_id: cartId, amount: 74750 })
      )
      const session = emulatorSession(sessionId)
      expect(session.order.merchant_reference_2).toBe(cartId)
      // No shipping method yet: the items alone, no shipping line among them.
      expect(session.order.amount).toBe(74750)
      expect(session.order.items.every((item: any) => item.type !== "shipping")).toBe(true)
      expect(session.express).toEqual(
        expect.objectContaining({
          shipping_mode: "shipping_required",
          shipping_address_callback_url: `${dintero.backendUrl}/hooks/dintero/express/shipping-address`,
          discount_codes: { max_count: 1, callback_url: `${dintero.backendUrl}/hooks/dintero/express/discount-codes` },
          customer_types: ["b2c", "b2b"],
        })
      )
      // 49 NOK + 25 % MVA, in øre.
      expect(session.express.shipping_options).toEqual([
        expect.objectContaining({ id: shop.seeded.shippingOptionId, amount: 6125, vat_amount: 1225, vat: 25, delivery_method: "delivery" }),
      ])
    })

    it("an address entered in Dintero becomes the cart's address; the answer carries Medusa's shipping options and order with VAT", async () => {
      const { cartId, sessionId } = await expressCheckout()

      const { status, body } = await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })

      expect(status).toBe(200)
      expect(body.callback.status).toBe(200)
      expect(body.callback.body.shipping_options).toEqual([expect.objectContaining({ id: shop.seeded.shippingOptionId, amount: 6125, vat: 25 })])
      expect(body.callback.body.order).toEqual(expect.objectContaining({ amount: 74750, vat_amount: 14950, currency: "NOK", merchant_reference_2: cartId }))
      const cart = await cartOf(cartId)
      expect(cart.shipping_address).toEqual(expect.objectContaining({ country_code: "no", postal_code: "0154", city: "Oslo", address_1: "Karl Johans gate 1" }))
      expect(cart.email).toBe("kari@example.com")
      expect(Math.round(cart.tax_total * 100)).toBe(14950)
      // The Medusa session is still linked to the same Dintero session.
      expect(cart.payment_collection.payment_sessions.map((s: any) => s.data.dintero.session_id)).toEqual([sessionId])
    })

    it("wallet one-click: only country and postal code still get shipping options", async () => {
      const { cartId, sessionId } = await expressCheckout()

      const { body } = await control(`${sessionId}/express/shipping-address`, { shipping_address: { country: "NO", postal_code: "0150" } })

      expect(body.callback.status).toBe(200)
      expect(body.callback.body.shipping_options).toEqual([expect.objectContaining({ id: shop.seeded.shippingOptionId, amount: 6125 })])
      const cart = await cartOf(cartId)
      expect(cart.shipping_address).toEqual(expect.objectContaining({ country_code: "no", postal_code: "0150" }))
    })

    it("the shipping option chosen in Dintero is the order's shipping method, with the address, e-mail, and the amount Dintero charged", async () => {
      const { cartId, sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      expect((await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })).status).toBe(200)

      const paid = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })
      await callbackDelivered(paid.transactionId!)

      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      const { order } = ensureOk(
        await shop.admin.get<any>(`/admin/orders/${orders[0].id}?fields=+total,*shipping_methods,*shipping_address,+email,*payment_collections.payments`),
        "order"
      )
      expect(order.shipping_methods).toEqual([expect.objectContaining({ shipping_option_id: shop.seeded.shippingOptionId })])
      expect(order.shipping_address).toEqual(expect.objectContaining({ postal_code: "0154", country_code: "no" }))
      expect(order.email).toBe("kari@example.com")
      const transaction = dintero.emulator.transactions().find((t: any) => t.id === paid.transactionId) as any
      // 2 × 299 + 49 NOK, + 25 % MVA = 808.75 NOK: what Dintero charged is the order's total.
      expect(transaction.amount).toBe(80875)
      expect(Math.round(order.total * 100)).toBe(80875)
      expect(order.payment_collections[0].payments[0].data.dintero.transaction_id).toBe(paid.transactionId)
      expect((await cartOf(cartId)).completed_at).toBeTruthy()
    })

    it("a valid discount code becomes a Medusa promotion on the cart; an invalid one gets Dintero's error and changes nothing", async () => {
      await promotion("EXPRESS10", 10)
      const { cartId, sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })

      const valid = await control(`${sessionId}/express/discount-codes`, { discount_codes: ["EXPRESS10"] })
      expect(valid.body.callback.status).toBe(200)
      // 10 % off the items: 747.50 → 672.75 NOK.
      expect(valid.body.callback.body.order).toEqual(expect.objectContaining({ amount: 67275, discount_codes: ["EXPRESS10"] }))
      expect(valid.body.callback.body.order.items[0].discount_lines).toEqual([expect.objectContaining({ amount: 7475, discount_type: "external" })])
      expect((await cartOf(cartId)).promotions.map((p: any) => p.code)).toEqual(["EXPRESS10"])

      // The shopper replaces the code with one Medusa does not know.
      const invalid = await control(`${sessionId}/express/discount-codes`, { discount_codes: ["NOPE"] })
      expect(invalid.body.callback.status).toBe(400)
      expect(invalid.body.callback.body.error).toEqual(expect.objectContaining({ code: "INVALID_DISCOUNT_CODE", message: expect.stringContaining("NOPE") }))
      const cart = await cartOf(cartId)
      expect(cart.promotions.map((p: any) => p.code)).toEqual(["EXPRESS10"])
      expect(Math.round(cart.item_total * 100)).toBe(67275)
    })

    it("a discount code entered after choosing the shipping option keeps that option in Dintero's order, priced by Medusa, and the discounted total pays", async () => {
      await promotion("AFTERSHIP10", 10)
      const { cartId, sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      expect((await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })).status).toBe(200)

      // Dintero requires the answer's amount to hold the chosen option (items 672.75 + shipping 61.25 NOK):
      // an answer without it is refused and the code would never reach the shopper's total.
      const discounted = await control(`${sessionId}/express/discount-codes`, { discount_codes: ["AFTERSHIP10"] })
      expect(discounted.body.applied).toBe(true)
      expect(discounted.body.callback.body.order).toEqual(
        expect.objectContaining({ amount: 67275 + 6125, shipping_option: expect.objectContaining({ id: shop.seeded.shippingOptionId, amount: 6125 }) })
      )
      expect(discounted.body.session.order.amount).toBe(73400)

      const paid = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })
      await callbackDelivered(paid.transactionId!)
      const cart = await cartOf(cartId)
      expect(cart.completed_at).toBeTruthy()
      expect(Math.round(cart.total * 100)).toBe(73400)
    })

    it("a cart edited in another tab while the express session is open: the old amount is refused and voided, no order, on the callback and the return", async () => {
      const { cartId, sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })
      // The other tab adds a unit through Medusa's store API, without locking the Dintero session.
      const cart = await cartOf(cartId)
      ensureOk(await shop.store.post(`/store/carts/${cartId}/line-items/${cart.items[0].id}`, { quantity: 3 }), "edit the cart")

      const stale = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })
      await callbackDelivered(stale.transactionId!)

      expect(await listOrders(shop.admin)).toHaveLength(0)
      const voided = dintero.emulator.transactions().find((t: any) => t.id === stale.transactionId) as any
      expect(voided.status).toBe("AUTHORIZATION_VOIDED")
      expect((await cartOf(cartId)).completed_at).toBeFalsy()
      // The shopper's return (the return URL names the session) places no order either.
      const returned = await shop.store.post(`/store/dintero/express/${cartId}/complete`, { session_id: sessionId })
      expect(returned.status).toBe(400)
      expect(await listOrders(shop.admin)).toHaveLength(0)
    })

    it("a shipping price changed in Medusa after the shopper chose it: the payment does not equal the cart, is refused and voided", async () => {
      const { cartId, sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })
      // The merchant raises the shipping price from 49 to 99 NOK while the shopper is paying 61.25 NOK for it.
      ensureOk(
        await shop.admin.post(`/admin/shipping-options/${shop.seeded.shippingOptionId}`, { prices: [{ currency_code: "nok", amount: 99 }] }),
        "change the shipping price"
      )

      const paid = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })
      await callbackDelivered(paid.transactionId!)

      expect(await listOrders(shop.admin)).toHaveLength(0)
      expect((dintero.emulator.transactions().find((t: any) => t.id === paid.transactionId) as any).status).toBe("AUTHORIZATION_VOIDED")
      expect((await cartOf(cartId)).completed_at).toBeFalsy()
    })

    it("embedded: after the storefront locks the session and edits the cart, the sync PUTs the new order with the lock and releases it", async () => {
      const { cartId, sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      const cart = await cartOf(cartId)

      expect((await control(`${sessionId}/lock`)).status).toBe(200)
      ensureOk(await shop.store.post(`/store/carts/${cartId}/line-items/${cart.items[0].id}`, { quantity: 3 }), "edit the cart")
      // Medusa deleted the payment session on the total change: the storefront names the session it embeds.
      const synced = ensureOk(await shop.store.post(`/store/dintero/express/${cartId}/sync`, { session_id: sessionId }), "sync")

      expect(synced.dintero_session_id).toBe(sessionId)
      expect(synced.payment_session.data.dintero).toEqual(expect.objectContaining({ session_id: sessionId, amount: 112125 }))
      const put = dintero.emulator.requests().filter((r: any) => r.method === "PUT" && r.path === `/v1/sessions/${sessionId}`).at(-1) as any
      expect(put.query.update_without_lock).toBeUndefined()
      expect(put.status).toBe(200)
      expect(put.body.remove_lock).toBe(true)
      // 3 × 299 NOK + 25 % = 1121.25 NOK, the items alone until a shipping option is chosen.
      expect(emulatorSession(sessionId).order.amount).toBe(112125)

      await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })
      const paid = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })
      await callbackDelivered(paid.transactionId!)
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments[0].amount).toBe(1182.5)
    })

    it("duplicate payment callbacks and the return at once for an express cart place one order", async () => {
      const { cartId, sessionId, paymentSession } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })
      dintero.emulator.holdCallbacks(true)
      const paid = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })

      const callback = signedCallback(dintero.backendUrl, callbackQuery(paid.transactionId!, sessionId, paymentSession.id))
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => api.get(callback.path, { headers: callback.headers, validateStatus: () => true })),
        shop.store.post(`/store/dintero/express/${cartId}/complete`, {}),
      ])

      expect(answers.every((answer: any) => answer.status === 200 || answer.status === 503 || answer.status === 409)).toBe(true)
      expect(answers.some((answer: any) => answer.status === 200)).toBe(true)
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments).toHaveLength(1)
      dintero.emulator.holdCallbacks(false)
    })

    it("an express payment whose callback never arrived is completed by the reconciliation with the chosen shipping method, once", async () => {
      const { sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })
      dintero.emulator.holdCallbacks(true)
      const paid = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })

      const run = ensureOk(await shop.admin.post<any>("/admin/dintero/reconciliation", {}), "reconcile")
      expect(run.run).toMatchObject({ completed: 1, errors: 0, voided: 0 })
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      const { order } = ensureOk(await shop.admin.get<any>(`/admin/orders/${orders[0].id}?fields=+total,*shipping_methods`), "order")
      expect(order.shipping_methods).toEqual([expect.objectContaining({ shipping_option_id: shop.seeded.shippingOptionId })])
      expect(Math.round(order.total * 100)).toBe(80875)

      // The late callback finds it done.
      dintero.emulator.holdCallbacks(false)
      await callbackDelivered(paid.transactionId!)
      expect(await listOrders(shop.admin)).toHaveLength(1)
      expect((dintero.emulator.transactions().find((t: any) => t.id === paid.transactionId) as any).status).toBe("AUTHORIZED")
    })

    it("an express session paid after the cart was completed with another payment method is voided and places no second order", async () => {
      const { cartId, sessionId } = await expressCheckout()
      await control(`${sessionId}/express/shipping-address`, { shipping_address: OSLO })
      await control(`${sessionId}/express/shipping-option`, { id: shop.seeded.shippingOptionId })
      // Meanwhile the shopper pays the cart another way in another tab.
      ensureOk(await shop.store.post(`/store/carts/${cartId}/shipping-methods`, { option_id: shop.seeded.shippingOptionId }), "shipping method")
      const cart = await cartOf(cartId)
      await initiatePaymentSession(shop.store, cart.payment_collection.id, "pp_system_default")
      expect(ensureOk(await shop.store.post(`/store/carts/${cartId}/complete`, {}), "complete").type).toBe("order")

      const late = await dintero.emulator.pay(sessionId, { card: "4111111111111111" })
      await callbackDelivered(late.transactionId!)

      expect(await listOrders(shop.admin)).toHaveLength(1)
      expect((dintero.emulator.transactions().find((t: any) => t.id === late.transactionId) as any).status).toBe("AUTHORIZATION_VOIDED")
    })

    it("a forged shipping-address callback for an unknown or another cart's session is refused without touching any cart", async () => {
      const mine = await expressCheckout()
      const theirs = await expressCheckout(1)
      const before = await cartOf(mine.cartId)
      const theirsBefore = await cartOf(theirs.cartId)
      const post = (body: unknown) => api.post("/hooks/dintero/express/shipping-address", body, { validateStatus: () => true })

      const unknown = await post({ id: "T12345678.forged", order: { merchant_reference_2: mine.cartId, shipping_address: OSLO } })
      // Their Dintero session named with my cart: not the session linked to my cart.
      const foreign = await post({ id: theirs.sessionId, order: { merchant_reference_2: mine.cartId, shipping_address: OSLO } })
      const garbage = await post({ order: "nope" })

      expect(unknown.status).toBe(404)
      expect(foreign.status).toBe(404)
      expect(garbage.status).toBe(400)
      expect(unknown.data.error.code).toBe("SESSION_NOT_FOUND")
      const after = await cartOf(mine.cartId)
      expect(after.shipping_address).toEqual(before.shipping_address)
      expect(after.email).toEqual(before.email)
      // Medusa gives a one-country region's cart that country at creation; nothing more was written.
      expect((await cartOf(theirs.cartId)).shipping_address).toEqual(theirsBefore.shipping_address)
      expect(before.shipping_address?.postal_code ?? null).toBeNull()
    })

    it("a callback that sends its own items and amounts changes only the address: every amount comes from Medusa", async () => {
      const { cartId, sessionId } = await expressCheckout()
      const forged = await api.post(
        "/hooks/dintero/express/shipping-address",
        {
          id: sessionId,
          order: {
            amount: 100,
            merchant_reference_2: cartId,
            shipping_address: OSLO,
            items: [{ id: "x", line_id: "x", amount: 100, quantity: 99, description: "cheap" }],
            shipping_option: { id: "so_free", line_id: "so_free", amount: 0, title: "Free", operator: "" },
          },
        },
        { validateStatus: () => true }
      )

      expect(forged.status).toBe(200)
      expect(forged.data.order.amount).toBe(74750)
      expect(forged.data.order.items).toEqual([expect.objectContaining({ quantity: 2, amount: 74750 })])
      expect(forged.data.order.shipping_option).toBeUndefined()
      const cart = await cartOf(cartId)
      expect(cart.items).toEqual([expect.objectContaining({ quantity: 2 })])
      expect(cart.shipping_methods).toEqual([])
      expect(cart.shipping_address.postal_code).toBe("0154")
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { callbackQuery, signedCallback } from "../helpers/dintero-callbacks"
import { DINTERO_PROVIDER_ID, listOrders } from "../helpers/dintero-checkout"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, daysAfter, sleep, subscriptionFixtures, type Shopper } from "../helpers/subscriptions-fixtures"
import { ensureOk, fromAxios, type StoreHttp } from "../../scripts/lib/http"
import {
  addShippingAddress,
  addShippingMethod,
  completeCart,
  completeCartOnReturn,
  createCart,
  createPaymentCollection,
  initiatePaymentSessionRaw,
  retrieveCart,
} from "../../scripts/lib/store-checkout"

jest.setTimeout(300_000)

/**
 * The store's own completeCartWorkflow `validate` handler, registered before Medusa boots, as a store's
 * src/workflows/hooks file would be. Medusa allows one handler per hook (workflows-sdk create-hook.js throws
 * on a second): the plugin must boot beside it and still hold its checks, and the store's handler must run.
 */
const cartsTheStoreValidated: string[] = []
completeCartWorkflow.hooks.validate(async ({ cart }) => {
  cartsTheStoreValidated.push((cart as { id: string }).id)
})

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
process.env.DINTERO_RECONCILIATION_JOB = "off"
// Dintero signs its callbacks: the emulator signs with the secret the plugin verifies.
const dintero = useDinteroEmulator()

/** The regular price of the coffee, in NOK without VAT; the store adds 25 % VAT. */
const REGULAR_PRICE = 299
const withVat = (nok: number) => Math.round(nok * 125)

/**
 * A checkout where nothing is paid now (a free trial with free shipping) still saves the customer's card at
 * Dintero, through a zero-amount token session, and starts the trialing subscription with it (README
 * "Plans", free trial checkout).
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)

    // Free shipping: the seeded store of the fixtures charges 49 NOK, so a free option is added per test.
    let freeShippingOptionId: string
    beforeEach(async () => {
      const { shipping_option } = ensureOk(
        await fx.ctx.admin.post<any>("/admin/shipping-options", {
          name: "Free shipping (Norway)",
          service_zone_id: fx.ctx.seeded.serviceZoneId,
          shipping_profile_id: fx.ctx.seeded.shippingProfileId,
          provider_id: "manual_manual",
          price_type: "flat",
          type: { label: "Free", description: "Free delivery", code: "free" },
          prices: [{ currency_code: "nok", amount: 0 }],
          rules: [
            { attribute: "enabled_in_store", operator: "eq", value: "true" },
            { attribute: "is_return", operator: "eq", value: "false" },
          ],
        }),
        "create free shipping option"
      )
      freeShippingOptionId = shipping_option.id
    })

    let products = 0
    async function trialProduct(subscription: Record<string, unknown> = { interval: "month", trial_days: 14 }, price = REGULAR_PRICE) {
      const { product } = ensureOk(
        await fx.ctx.admin.post<any>("/admin/products", {
          title: `Coffee subscription ${++products}`,
          status: "published",
          shipping_profile_id: fx.ctx.seeded.shippingProfileId,
          sales_channels: [{ id: fx.ctx.seeded.salesChannelId }],
          options: [{ title: "Size", values: ["1 kg"] }],
          variants: [{ title: "1 kg", options: { Size: "1 kg" }, prices: [{ currency_code: "nok", amount: price }], manage_inventory: false }],
          metadata: subscription ? { subscription } : {},
        }),
        "create product"
      )
      return product.variants[0].id as string
    }

    /** A cart with one trial line (the plugin's cart route), an address and free shipping, and its payment collection. */
    async function trialCart(store: StoreHttp, email: string, variantId: string) {
      const cart = await createCart(store, { regionId: fx.ctx.seeded.regionId, email, items: [] })
      const added = await store.post<any>(`/store/carts/${cart.id}/subscription-items`, { variant_id: variantId, quantity: 1 })
      expect(added.status).toBe(200)
      await addShippingAddress(store, cart.id)
      await addShippingMethod(store, cart.id, freeShippingOptionId)
      const paymentCollection = await createPaymentCollection(store, cart.id)
      return { cartId: cart.id as string, paymentCollection }
    }

    const cardsOf = async (who: Shopper) => ensureOk(await who.store.get<any>("/store/dintero/payment-methods"), "list cards").payment_methods as any[]
    const tokenSessionRequests = () => dintero.emulator.requests().filter((r) => r.path === "/v1/sessions/payment-token")
    const checkoutSessionRequests = () => dintero.emulator.requests().filter((r) => r.path === "/v1/sessions-profile" || r.path === "/v1/sessions")
    const moneyOperations = () => dintero.emulator.requests().filter((r) => /\/transactions\/[^/]+\/(capture|refund|void)$/.test(r.path))
    const payments = () => getContainer().resolve(Modules.PAYMENT).listPayments({})
    const subscriptionsOf = async (who: Shopper) => (await who.store.get<any>("/store/customers/me/subscriptions")).data.subscriptions as any[]

    it("a logged-in customer's free trial: a token session with no amount, callbacks and returns racing save the card once and place one order; the subscription is trialing with that card and its first charge is at the trial's end, once", async () => {
      const variantId = await trialProduct()
      const kari = await fx.shopper("kari@example.com")
      const { cartId, paymentCollection } = await trialCart(kari.store, kari.email, variantId)
      expect(Number(paymentCollection.amount)).toBe(0)

      const initiated = await initiatePaymentSessionRaw(kari.store, paymentCollection.id, DINTERO_PROVIDER_ID, {})
      expect(initiated.status).toBe(200)
      const session = initiated.data.payment_collection.payment_sessions[0]
      expect(session.data.dintero).toMatchObject({ amount: 0, currency: "NOK", card_verification: true, session_id: expect.any(String), checkout_url: expect.any(String) })
      // What Dintero was asked: a zero-amount token session named after Medusa's payment session, not a checkout.
      const [asked] = tokenSessionRequests()
      expect(asked.status).toBe(200)
      expect(asked.body).toMatchObject({
        session: { order: { currency: "NOK", merchant_reference: session.id, merchant_reference_2: cartId }, customer: { customer_id: kari.customerId } },
        token_provider: { payment_product_type: "dintero_psp.creditcard", token_types: ["payment_token"] },
      })
      expect((asked.body as any).session.order.amount).toBeUndefined()
      expect(checkoutSessionRequests()).toEqual([])

      // The customer saves the card on Dintero's page; the callback and the return then race, 5 of each.
      dintero.emulator.holdCallbacks(true)
      const dinteroSessionId = session.data.dintero.session_id as string
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: CARDS.approved, expiry: "09/31" })
      expect(paid.transactionId).toBeDefined()
      expect(new URL(paid.redirectUrl).searchParams.get("transaction_id")).toBe(paid.transactionId)
      const callback = signedCallback(dintero.backendUrl, callbackQuery(paid.transactionId!, dinteroSessionId, session.id))
      const raw = fromAxios(api)
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => completeCartOnReturn(kari.store, cartId, 40)),
        ...Array.from({ length: 5 }, () => raw.get<any>(callback.path, { headers: callback.headers })),
      ])
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200))
      const orderIds = new Set(results.slice(0, 5).map((r) => r.data.order?.id))
      expect([...orderIds]).toHaveLength(1)
      dintero.emulator.holdCallbacks(false)
      await dintero.emulator.waitForCallbacks((a) => a.sessionId === dinteroSessionId && a.outcome === "delivered", 15_000)

      // One card, from the verification; one order of 0, with one Payment of 0 carrying the transaction.
      const cards = await cardsOf(kari)
      expect(cards).toEqual([expect.objectContaining({ masked_pan: "411111******1111", expiry_date: "09/2031", source_transaction_id: paid.transactionId })])
      const orders = await listOrders(fx.ctx.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].id).toBe([...orderIds][0])
      const { data } = await fx.ctx.admin.get<any>(`/admin/orders/${orders[0].id}?fields=id,total,created_at,*items`)
      expect(Number(data.order.total)).toBe(0)
      const recorded = await payments()
      expect(recorded).toHaveLength(1)
      expect(Number(recorded[0].amount)).toBe(0)
      expect((recorded[0].data as any).dintero).toMatchObject({ transaction_id: paid.transactionId, card_verification: true })

      const [started] = await fx.waitForSubscriptions(kari)
      const trialEnd = daysAfter(data.order.created_at, 14)
      expect(started).toMatchObject({ status: "trialing", trial_end: trialEnd, next_charge_at: trialEnd })
      expect((await fx.getSubscription(started.id)).card_id).toBe(cards[0].id)

      // Nothing was captured, refunded or voided for the verification, and nothing is charged before the trial ends.
      expect(moneyOperations()).toEqual([])
      expect(await fx.renew(daysAfter(trialEnd, -0.01))).toMatchObject({ subscriptions: 0 })
      expect(dintero.emulator.charges()).toEqual([])

      // At the trial's end two renewal runs at once charge the regular price once, with the saved card.
      const runs = await Promise.all([fx.renew(trialEnd), fx.renew(trialEnd)])
      expect(runs.reduce((sum, run) => sum + run.renewed, 0)).toBe(1)
      expect(fx.chargesFor(started.id)).toEqual([
        expect.objectContaining({ merchantReference: `${started.id}:${trialEnd.slice(0, 10)}`, amount: withVat(REGULAR_PRICE), success: true }),
      ])
      expect((await fx.getSubscription(started.id)).status).toBe("active")

      // Canceling the trial's order releases nothing at Dintero (the verification reserved nothing); the card stays saved.
      const canceled = await fx.ctx.admin.post<any>(`/admin/orders/${orders[0].id}/cancel`, {})
      expect(canceled.status).toBe(200)
      await sleep(500)
      expect(moneyOperations()).toEqual([])
      expect(await cardsOf(kari)).toHaveLength(1)
    })

    it("a store with its own completeCartWorkflow validate handler boots with the plugin: its handler runs and a free trial still needs its card", async () => {
      const variantId = await trialProduct()
      const eva = await fx.shopper("eva@example.com")
      const { cartId, paymentCollection } = await trialCart(eva.store, eva.email, variantId)

      // Without the card: refused by the plugin before Medusa's completion (the store's handler never sees it).
      const early = await completeCart(eva.store, cartId)
      expect(early.status).toBe(400)
      expect(early.data.message).toMatch(/save the card first/)
      expect(cartsTheStoreValidated).not.toContain(cartId)

      const initiated = await initiatePaymentSessionRaw(eva.store, paymentCollection.id, DINTERO_PROVIDER_ID, {})
      const session = initiated.data.payment_collection.payment_sessions[0]
      const paid = await dintero.emulator.pay(session.data.dintero.session_id, { card: CARDS.approved, expiry: "09/31" })
      const placed = await completeCartOnReturn(eva.store, cartId)
      expect(placed.data.type).toBe("order")
      expect(cartsTheStoreValidated).toContain(cartId)
      expect(await cardsOf(eva)).toEqual([expect.objectContaining({ source_transaction_id: paid.transactionId })])
      const [started] = await fx.waitForSubscriptions(eva)
      expect(started.status).toBe("trialing")
    })

    it("nothing to pay is refused clearly, with no state change, for a guest, for a cart that starts no subscription, and for a subscription cart completed without its card", async () => {
      const variantId = await trialProduct()
      const guest = fx.ctx.store
      const { cartId, paymentCollection } = await trialCart(guest, "guest@example.com", variantId)

      const refused = await initiatePaymentSessionRaw(guest, paymentCollection.id, DINTERO_PROVIDER_ID, {})
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/starts a subscription .* must log in/)
      const completed = await completeCart(guest, cartId)
      expect(completed.status).toBe(400)
      expect(completed.data.message).toMatch(/must log in/)
      expect((await retrieveCart(guest, cartId)).completed_at).toBeFalsy()
      expect((await retrieveCart(guest, cartId, "*payment_collection.payment_sessions")).payment_collection.payment_sessions).toEqual([])

      // A free product that starts no subscription: no token session for nothing.
      const ola = await fx.shopper("ola@example.com")
      const freeVariant = await trialProduct(null as any, 0)
      const cart = await createCart(ola.store, { regionId: fx.ctx.seeded.regionId, email: ola.email, items: [{ variant_id: freeVariant, quantity: 1 }] })
      await addShippingAddress(ola.store, cart.id)
      await addShippingMethod(ola.store, cart.id, freeShippingOptionId)
      const collection = await createPaymentCollection(ola.store, cart.id)
      const nothing = await initiatePaymentSessionRaw(ola.store, collection.id, DINTERO_PROVIDER_ID, {})
      expect(nothing.status).toBe(400)
      expect(nothing.data.message).toMatch(/starts no subscription/)

      // A logged-in customer's trial cart completed without a Dintero session: the card must be saved first.
      const trial = await trialCart(ola.store, ola.email, variantId)
      const early = await completeCart(ola.store, trial.cartId)
      expect(early.status).toBe(400)
      expect(early.data.message).toMatch(/save the card first/)
      // A saved card chosen instead of a new one is refused too (the subscription's card is the one verified here).
      const chosen = await initiatePaymentSessionRaw(ola.store, trial.paymentCollection.id, DINTERO_PROVIDER_ID, { payment_method_id: "dcard_x" })
      expect(chosen.status).toBe(400)
      expect(chosen.data.message).toMatch(/saved card .* not offered/)

      expect(tokenSessionRequests()).toEqual([])
      expect(await listOrders(fx.ctx.admin)).toEqual([])
      expect(await payments()).toEqual([])
      expect(await subscriptionsOf(ola)).toEqual([])
    })

    it("a declined card on the save-card page places no order and starts no subscription; another card then does", async () => {
      const variantId = await trialProduct()
      const nils = await fx.shopper("nils@example.com")
      const { cartId, paymentCollection } = await trialCart(nils.store, nils.email, variantId)
      const initiated = await initiatePaymentSessionRaw(nils.store, paymentCollection.id, DINTERO_PROVIDER_ID, {})
      const session = initiated.data.payment_collection.payment_sessions[0]
      const dinteroSessionId = session.data.dintero.session_id as string

      // Returning before saving anything: not yet.
      const before = await completeCart(nils.store, cartId)
      expect(before.status).toBe(200)
      expect(before.data).toMatchObject({ type: "cart", error: { message: expect.stringMatching(/not been saved/) } })

      const declined = await dintero.emulator.pay(dinteroSessionId, { card: "4000000000000002" })
      expect(declined.error).toBe("authorization")
      const after = await completeCart(nils.store, cartId)
      expect(after.status).toBe(200)
      expect(after.data).toMatchObject({ type: "cart", error: { message: expect.stringMatching(/declined/) } })
      await sleep(500)
      expect(await listOrders(fx.ctx.admin)).toEqual([])
      expect(await payments()).toEqual([])
      expect(await cardsOf(nils)).toEqual([])
      expect(await subscriptionsOf(nils)).toEqual([])

      // The page keeps the payer; another card is saved and the order placed.
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: CARDS.approved })
      expect(paid.transactionId).toBeDefined()
      const placed = await completeCartOnReturn(nils.store, cartId)
      expect(placed.data.type).toBe("order")
      const [started] = await fx.waitForSubscriptions(nils)
      expect(started.status).toBe("trialing")
    })

    it("a verification session the cart no longer fits (a paid item added) is dropped and cancelled at Dintero, and the cart is then paid with a checkout session", async () => {
      const trialVariant = await trialProduct()
      const paidVariant = await trialProduct({ interval: "month" })
      const liv = await fx.shopper("liv@example.com")
      const { cartId, paymentCollection } = await trialCart(liv.store, liv.email, trialVariant)
      const initiated = await initiatePaymentSessionRaw(liv.store, paymentCollection.id, DINTERO_PROVIDER_ID, {})
      const tokenSessionId = initiated.data.payment_collection.payment_sessions[0].data.dintero.session_id as string

      ensureOk(await liv.store.post(`/store/carts/${cartId}/line-items`, { variant_id: paidVariant, quantity: 1 }), "add a paid item")
      const cart = await retrieveCart(liv.store, cartId, "+total,*payment_collection.payment_sessions")
      expect(Number(cart.total)).toBe(REGULAR_PRICE * 1.25)
      expect(cart.payment_collection.payment_sessions).toEqual([])
      expect(dintero.emulator.requests().filter((r) => r.path === `/v1/sessions/${tokenSessionId}/cancel`).map((r) => r.status)).toEqual([200])
      await expect(dintero.emulator.pay(tokenSessionId, { card: CARDS.approved })).rejects.toThrow()

      const paid = await initiatePaymentSessionRaw(liv.store, paymentCollection.id, DINTERO_PROVIDER_ID, {})
      expect(paid.status).toBe(200)
      expect(paid.data.payment_collection.payment_sessions[0].data.dintero).toMatchObject({ amount: withVat(REGULAR_PRICE) })
      expect(paid.data.payment_collection.payment_sessions[0].data.dintero.card_verification).toBeUndefined()
    })

    it("a paid cart never gets a token session: forged storefront data is refused, the amount is Medusa's, and a cart that came to cost something after its card was verified is not completed", async () => {
      const variantId = await trialProduct({ interval: "month" })
      const per = await fx.shopper("per@example.com")
      const cart = await createCart(per.store, { regionId: fx.ctx.seeded.regionId, email: per.email, items: [{ variant_id: variantId, quantity: 1 }] })
      await addShippingAddress(per.store, cart.id)
      await addShippingMethod(per.store, cart.id, freeShippingOptionId)
      const collection = await createPaymentCollection(per.store, cart.id)
      expect(Number(collection.amount)).toBe(REGULAR_PRICE * 1.25)

      for (const forged of [{ card_verification: true }, { amount: 0 }, { dintero: { amount: 0, card_verification: true } }]) {
        const response = await initiatePaymentSessionRaw(per.store, collection.id, DINTERO_PROVIDER_ID, forged)
        expect(response.status).toBe(400)
        expect(response.data.message).toMatch(/cannot be set by a storefront/)
      }
      const paid = await initiatePaymentSessionRaw(per.store, collection.id, DINTERO_PROVIDER_ID, { save_card: true })
      expect(paid.status).toBe(200)
      expect(paid.data.payment_collection.payment_sessions[0].data.dintero).toMatchObject({ amount: withVat(REGULAR_PRICE) })
      expect(paid.data.payment_collection.payment_sessions[0].data.dintero.card_verification).toBeUndefined()
      expect(tokenSessionRequests()).toEqual([])

      // A free trial cart whose card is verified, then made to cost something without Medusa refreshing its
      // payment collection (what a cart change racing the session's creation leaves): completing it is refused.
      const trialVariant = await trialProduct()
      const trial = await trialCart(per.store, per.email, trialVariant)
      const initiated = await initiatePaymentSessionRaw(per.store, trial.paymentCollection.id, DINTERO_PROVIDER_ID, {})
      const verification = initiated.data.payment_collection.payment_sessions[0]
      await dintero.emulator.pay(verification.data.dintero.session_id, { card: CARDS.approved })
      const cartModule = getContainer().resolve(Modules.CART)
      const [line] = await cartModule.listLineItems({ cart_id: trial.cartId })
      await cartModule.updateLineItems(line.id, { unit_price: 100 })
      expect(Number((await retrieveCart(per.store, trial.cartId)).total)).toBeGreaterThan(0)

      const refused = await completeCart(per.store, trial.cartId)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/now has something to pay.*only saves a card/)
      expect(await listOrders(fx.ctx.admin)).toEqual([])
      expect(await payments()).toEqual([])
      expect((await retrieveCart(per.store, trial.cartId)).completed_at).toBeFalsy()
    })

    it("Dintero's callback never completes on a card verification a cart that came to cost something: it fails for Dintero to retry, and no order or Payment is made", async () => {
      const siri = await fx.shopper("siri@example.com")
      const trial = await trialCart(siri.store, siri.email, await trialProduct())
      const initiated = await initiatePaymentSessionRaw(siri.store, trial.paymentCollection.id, DINTERO_PROVIDER_ID, {})
      const verification = initiated.data.payment_collection.payment_sessions[0]
      const dinteroSessionId = verification.data.dintero.session_id as string
      // Dintero's own delivery is held (reset after the test): the callback is sent here, once the cart has changed.
      dintero.emulator.holdCallbacks(true)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: CARDS.approved })
      const cartModule = getContainer().resolve(Modules.CART)
      const [line] = await cartModule.listLineItems({ cart_id: trial.cartId })
      await cartModule.updateLineItems(line.id, { unit_price: 100 })

      const callback = signedCallback(dintero.backendUrl, callbackQuery(paid.transactionId!, dinteroSessionId, verification.id))
      const answered = await fromAxios(api).get<any>(callback.path, { headers: callback.headers })
      expect(answered.status).toBeGreaterThanOrEqual(500)
      expect(await listOrders(fx.ctx.admin)).toEqual([])
      expect(await payments()).toEqual([])
      expect((await retrieveCart(siri.store, trial.cartId)).completed_at).toBeFalsy()
    })
  },
})

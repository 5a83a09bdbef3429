import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { DINTERO_PROVIDER_ID } from "../helpers/dintero-checkout"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, daysAfter, subscriptionFixtures, type Shopper } from "../helpers/subscriptions-fixtures"
import { ensureOk } from "../../scripts/lib/http"
import {
  addShippingAddress,
  addShippingMethod,
  completeCartOnReturn,
  createCart,
  createPaymentCollection,
  initiatePaymentSession,
  NORWEGIAN_ADDRESS,
} from "../../scripts/lib/store-checkout"

jest.setTimeout(240_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: null })

/** Regular prices of the coffee product, in NOK without VAT; the store adds 25 % VAT. */
const SIZES = [
  { title: "250 g", price: 99 },
  { title: "1 kg", price: 299 },
  { title: "2 kg", price: 549 },
  { title: "Gift box", price: 999 },
]
/** 49 NOK shipping + 25 % VAT, in øre. */
const SHIPPING = 6125
const withVat = (nok: number) => Math.round(nok * 125)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)

    /** A product sold as a subscription: `subscription` is the merchant's plan in the product's metadata. */
    let products = 0
    async function coffeeProduct(subscription: Record<string, unknown>) {
      const { product } = ensureOk(
        await fx.ctx.admin.post<any>("/admin/products", {
          title: `Coffee subscription ${++products}`,
          status: "published",
          shipping_profile_id: fx.ctx.seeded.shippingProfileId,
          sales_channels: [{ id: fx.ctx.seeded.salesChannelId }],
          options: [{ title: "Size", values: SIZES.map((size) => size.title) }],
          variants: SIZES.map((size) => ({
            title: size.title,
            options: { Size: size.title },
            prices: [{ currency_code: "nok", amount: size.price }],
            manage_inventory: false,
          })),
          metadata: { subscription },
        }),
        "create product"
      )
      const variant = (title: string) => product.variants.find((v: any) => v.title === title).id as string
      return { id: product.id as string, variant }
    }

    /**
     * A logged-in checkout of one subscription item added through the plugin's cart route (the merchant's plan
     * and trial price), paid on Dintero's page. Returns the order and what the checkout charged.
     */
    async function subscriptionCheckout(who: Shopper, variantId: string, card = CARDS.approved) {
      const cart = await createCart(who.store, { regionId: fx.ctx.seeded.regionId, email: who.email, items: [] })
      const added = await who.store.post<any>(`/store/carts/${cart.id}/subscription-items`, { variant_id: variantId, quantity: 1 })
      expect(added.status).toBe(200)
      return payCart(who, cart.id, card)
    }

    async function payCart(who: Shopper, cartId: string, card = CARDS.approved) {
      await addShippingAddress(who.store, cartId)
      await addShippingMethod(who.store, cartId)
      const paymentCollection = await createPaymentCollection(who.store, cartId)
      const { paymentSession } = await initiatePaymentSession(who.store, paymentCollection.id, DINTERO_PROVIDER_ID, {})
      const paid = await dintero.emulator.pay(paymentSession.data.dintero.session_id, { card, cvc: "123" })
      expect(paid.transactionId).toBeDefined()
      const completed = await completeCartOnReturn(who.store, cartId)
      expect(completed.data.type).toBe("order")
      const order = completed.data.order
      const { data } = await fx.ctx.admin.get<any>(`/admin/orders/${order.id}?fields=id,total,created_at,*items`)
      return { order: data.order, charged: Math.round(data.order.total * 100) }
    }

    /** A monthly subscription the admin started on the 31st, its first period paid. */
    async function paidMonthly(who: { customerId: string; cardId: string }, body: Record<string, unknown> = {}) {
      const start = "2027-01-31T10:00:00.000Z"
      const subscription = await fx.adminSubscription(who, { starts_at: start, ...body })
      expect(await fx.renew(start)).toMatchObject({ renewed: 1 })
      return fx.getSubscription(subscription.id)
    }

    it("a free trial bought at checkout: trialing, nothing charged until the trial ends, then two runs at once charge the first period once", async () => {
      const coffee = await coffeeProduct({ interval: "month", trial_days: 14 })
      const kari = await fx.shopper("kari@example.com")
      const { order, charged } = await subscriptionCheckout(kari, coffee.variant("1 kg"))
      // The checkout charged the shipping only: the trial line is free.
      expect(order.items).toEqual([expect.objectContaining({ unit_price: 0, quantity: 1 })])
      expect(charged).toBe(SHIPPING)

      const [started] = await fx.waitForSubscriptions(kari)
      const trialEnd = daysAfter(order.created_at, 14)
      expect(started).toMatchObject({ status: "trialing", trial_end: trialEnd, next_charge_at: trialEnd, current_period_end: trialEnd })
      // The plan bills Medusa's regular price from the trial's end, never the trial price.
      expect(started.items).toEqual([
        expect.objectContaining({ type: "item", variant_id: coffee.variant("1 kg"), quantity: 1, unit_amount: withVat(299), vat: 25 }),
        expect.objectContaining({ type: "shipping", unit_amount: SHIPPING }),
      ])
      const listed = await fx.ctx.admin.get<any>("/admin/subscriptions?status=trialing")
      expect(listed.data.subscriptions.map((s: any) => s.id)).toEqual([started.id])

      expect(await fx.renew(daysAfter(trialEnd, -0.01))).toMatchObject({ subscriptions: 0 })
      expect(fx.chargesFor(started.id)).toHaveLength(0)

      const runs = await Promise.all([fx.renew(trialEnd), fx.renew(trialEnd)])
      expect(runs.reduce((sum, run) => sum + run.renewed, 0)).toBe(1)
      const charges = fx.chargesFor(started.id)
      expect(charges).toEqual([
        expect.objectContaining({ merchantReference: `${started.id}:${trialEnd.slice(0, 10)}`, amount: withVat(299) + SHIPPING, success: true }),
      ])
      const renewed = await fx.getSubscription(started.id)
      expect(renewed).toMatchObject({ status: "active", current_period_start: trialEnd, anchor_day: new Date(trialEnd).getUTCDate() })
      expect(renewed.orders).toHaveLength(2)
      expect(await fx.renew(trialEnd)).toMatchObject({ subscriptions: 0 })
    })

    it("a trial asked for in line metadata by the storefront is not granted: the regular price is paid and the subscription starts active", async () => {
      const coffee = await coffeeProduct({ interval: "month", trial_days: 14 })
      const ola = await fx.shopper("ola@example.com")
      const cart = await createCart(ola.store, { regionId: fx.ctx.seeded.regionId, email: ola.email, items: [] })
      const forged = { subscription: { interval: "month", interval_count: 1, trial_days: 14 } }
      ensureOk(await ola.store.post(`/store/carts/${cart.id}/line-items`, { variant_id: coffee.variant("1 kg"), quantity: 1, metadata: forged }), "add line")
      const { order, charged } = await payCart(ola, cart.id)
      expect(charged).toBe(withVat(299) + SHIPPING)

      const [started] = await fx.waitForSubscriptions(ola)
      expect(started).toMatchObject({ status: "active", trial_end: null })
      expect(Date.parse(started.current_period_end)).toBeGreaterThan(Date.parse(daysAfter(order.created_at, 27)))
      // Prices and plans from the storefront are refused on the plugin's own cart route.
      const priced = await ola.store.post<any>(`/store/carts/${cart.id}/subscription-items`, { variant_id: coffee.variant("1 kg"), quantity: 1, unit_price: 0 })
      expect(priced.status).toBe(400)
    })

    it("a reduced-price trial charges the trial price at checkout and the regular price when the trial ends", async () => {
      const coffee = await coffeeProduct({ interval: "month", trial_days: 7, trial_prices: { nok: 10 } })
      const per = await fx.shopper("per@example.com")
      const { order, charged } = await subscriptionCheckout(per, coffee.variant("1 kg"))
      expect(charged).toBe(withVat(10) + SHIPPING)

      const [started] = await fx.waitForSubscriptions(per)
      const trialEnd = daysAfter(order.created_at, 7)
      expect(started).toMatchObject({ status: "trialing", trial_end: trialEnd })
      expect(await fx.renew(trialEnd)).toMatchObject({ renewed: 1 })
      expect(fx.chargesFor(started.id).map((charge) => charge.amount)).toEqual([withVat(299) + SHIPPING])

      // A trial priced in other currencies only is not offered in NOK.
      const euroOnly = await coffeeProduct({ interval: "month", trial_days: 7, trial_prices: { eur: 1 } })
      const cart = await createCart(per.store, { regionId: fx.ctx.seeded.regionId, email: per.email, items: [] })
      const refused = await per.store.post<any>(`/store/carts/${cart.id}/subscription-items`, { variant_id: euroOnly.variant("1 kg"), quantity: 1 })
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/no trial price in NOK/)
    })

    it("an admin starts a free trial on a customer's saved card: the first period is charged at the trial's end and keeps its anchor day", async () => {
      const liv = await fx.customerWithCard("liv@example.com")
      const subscription = await fx.adminSubscription(liv, { starts_at: "2027-01-17T09:00:00.000Z", trial_days: 14 })
      expect(subscription).toMatchObject({ status: "trialing", trial_end: "2027-01-31T09:00:00.000Z", next_charge_at: "2027-01-31T09:00:00.000Z" })
      expect(await fx.renew("2027-01-30T09:00:00.000Z")).toMatchObject({ subscriptions: 0 })
      expect(await fx.renew("2027-01-31T09:00:00.000Z")).toMatchObject({ renewed: 1 })
      const renewed = await fx.getSubscription(subscription.id)
      expect(renewed).toMatchObject({ status: "active", current_period_start: "2027-01-31T09:00:00.000Z", current_period_end: "2027-02-28T09:00:00.000Z" })
      expect(fx.chargesFor(subscription.id).map((charge) => [charge.merchantReference.split(":")[1], charge.amount])).toEqual([["2027-01-31", 29900]])
    })

    it("a skipped period is passed over without a Dintero charge and keeps the anchor day; the limit answers 400 and changes nothing", async () => {
      const nora = await fx.customerWithCard("nora@example.com")
      const subscription = await paidMonthly(nora)
      const events = fx.recordEvents()
      const base = `/store/customers/me/subscriptions/${subscription.id}`

      const skipped = await nora.store.post<any>(`${base}/skip`, {})
      expect(skipped.status).toBe(200)
      expect(skipped.data.subscription.skipped_periods).toEqual(["2027-02-28T10:00:00.000Z"])
      // A repeated request changes nothing and announces nothing again.
      expect((await nora.store.post<any>(`${base}/skip`, {})).data.subscription.skipped_periods).toEqual(["2027-02-28T10:00:00.000Z"])
      expect(events.data("subscription.skip_scheduled")).toEqual([{ id: subscription.id, period_start: "2027-02-28T10:00:00.000Z", by: "customer" }])

      expect(await fx.renew("2027-02-28T10:00:00.000Z")).toMatchObject({ period_skipped: 1, renewed: 0 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
      let current = await fx.getSubscription(subscription.id)
      expect(current).toMatchObject({
        status: "active",
        current_period_start: "2027-02-28T10:00:00.000Z",
        current_period_end: "2027-03-31T10:00:00.000Z",
        next_charge_at: "2027-03-31T10:00:00.000Z",
      })
      expect(current.orders).toHaveLength(1)
      expect(events.data("subscription.period_skipped")).toEqual([
        { id: subscription.id, period_start: "2027-02-28T10:00:00.000Z", period_end: "2027-03-31T10:00:00.000Z" },
      ])

      // The admin skips the next one; a third in twelve months is over maxSkipsPerYear (2).
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/skip`, {})).status).toBe(200)
      expect(await fx.renew("2027-03-31T10:00:00.000Z")).toMatchObject({ period_skipped: 1 })
      const refused = await nora.store.post<any>(`${base}/skip`, {})
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/At most 2 periods can be skipped in 12 months/)
      current = await fx.getSubscription(subscription.id)
      expect(current.skipped_periods).toEqual(["2027-02-28T10:00:00.000Z", "2027-03-31T10:00:00.000Z"])

      expect(await fx.renew("2027-04-30T10:00:00.000Z")).toMatchObject({ renewed: 1 })
      expect(fx.chargesFor(subscription.id).map((charge) => charge.merchantReference.split(":")[1])).toEqual(["2027-01-31", "2027-04-30"])
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ current_period_end: "2027-05-31T10:00:00.000Z" })
    })

    it("a skip can be taken back; past_due, canceled and other customers' subscriptions cannot be skipped", async () => {
      const eva = await fx.customerWithCard("eva@example.com")
      const subscription = await paidMonthly(eva)
      const base = `/store/customers/me/subscriptions/${subscription.id}`
      expect((await eva.store.post<any>(`${base}/skip`, {})).status).toBe(200)
      const unskipped = await eva.store.post<any>(`${base}/unskip`, {})
      expect(unskipped.status).toBe(200)
      expect(unskipped.data.subscription.skipped_periods).toEqual([])
      expect(await fx.renew("2027-02-28T10:00:00.000Z")).toMatchObject({ renewed: 1 })

      const mallory = await fx.customerWithCard("mallory@example.com")
      expect((await mallory.store.post<any>(`${base}/skip`, {})).status).toBe(404)
      expect((await mallory.store.post<any>(`${base}/unskip`, {})).status).toBe(404)

      const declined = await fx.customerWithCard("siri@example.com", CARDS.doNotRetry)
      const pastDue = await fx.adminSubscription(declined, { starts_at: "2027-01-31T10:00:00.000Z" })
      expect(await fx.renew("2027-01-31T10:00:00.000Z")).toMatchObject({ failed: 1 })
      const refused = await declined.store.post<any>(`/store/customers/me/subscriptions/${pastDue.id}/skip`, {})
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/is past_due: only active subscriptions can be skipped/)

      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/cancel`, {})).status).toBe(200)
      const canceled = await eva.store.post<any>(`${base}/skip`, {})
      expect(canceled.status).toBe(400)
      expect(canceled.data.message).toMatch(/is canceled/)
      expect((await fx.getSubscription(subscription.id)).skipped_periods).toEqual([])
    })

    it("a skip racing the renewal job never leaves a skipped period charged", async () => {
      const ida = await fx.customerWithCard("ida@example.com")
      for (let round = 0; round < 3; round++) {
        const subscription = await paidMonthly(ida)
        const due = "2027-02-28T10:00:00.000Z"
        const [skip] = await Promise.all([
          ida.store.post<any>(`/store/customers/me/subscriptions/${subscription.id}/skip`, {}),
          fx.renew(due),
          fx.renew(due),
        ])
        expect(skip.status).toBe(200)
        // Either the skip came first (28 Feb is passed over) or the renewal did (the skip is for 31 March).
        expect(await fx.renew("2027-03-31T10:00:00.000Z")).toMatchObject({ errors: 0 })
        const current = await fx.getSubscription(subscription.id)
        const charged = fx.chargesFor(subscription.id).map((charge) => `${charge.merchantReference.split(":")[1]}T10:00:00.000Z`)
        expect(current.skipped_periods).toHaveLength(1)
        expect(["2027-02-28T10:00:00.000Z", "2027-03-31T10:00:00.000Z"]).toContain(current.skipped_periods[0])
        expect(charged.filter((start) => current.skipped_periods.includes(start))).toEqual([])
        expect(charged).toHaveLength(2)
        expect(current.current_period_start).toBe("2027-03-31T10:00:00.000Z")
      }
    })

    it("a period whose charge was already attempted cannot be skipped", async () => {
      const ida = await fx.customerWithCard("ida@example.com")
      // Dintero charged, but the answer was lost: the period's outcome is unknown, so it can no longer be skipped.
      const subscription = await paidMonthly(ida)
      dintero.emulator.injectFault({ kind: "reset", phase: "after", match: { method: "POST", path: "/^\\/v1\\/sessions\\/pay$/" } })
      expect(await fx.renew("2027-02-28T10:00:00.000Z")).toMatchObject({ unknown: 1 })
      const refused = await ida.store.post<any>(`/store/customers/me/subscriptions/${subscription.id}/skip`, {})
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/already being charged/)
      expect(await fx.renew("2027-02-28T11:00:00.000Z")).toMatchObject({ renewed: 1 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
      expect((await fx.getSubscription(subscription.id)).skipped_periods).toBeNull()
    })

    it("a customer's item change is priced by Medusa and billed from the next renewal; forged prices, other variants and other customers are refused", async () => {
      const coffee = await coffeeProduct({ interval: "month" })
      // The merchant lets subscribers switch between the 250 g, 1 kg and 2 kg bags, at most 3 of them.
      ensureOk(
        await fx.ctx.admin.post<any>(`/admin/products/${coffee.id}`, {
          metadata: { subscription: { interval: "month", allowed_variant_ids: [coffee.variant("250 g"), coffee.variant("2 kg")], max_quantity: 3 } },
        }),
        "set allowed variants"
      )
      const kari = await fx.customerWithCard("kari@example.com")
      const subscription = await paidMonthly(kari, {
        items: [{ title: "Coffee 1 kg", quantity: 1, unit_amount: withVat(299), vat: 25, variant_id: coffee.variant("1 kg") }],
        shipping_address: NORWEGIAN_ADDRESS,
      })
      const base = `/store/customers/me/subscriptions/${subscription.id}/items`
      const events = fx.recordEvents()

      const forged = await kari.store.post<any>(base, { items: [{ variant_id: coffee.variant("2 kg"), quantity: 2, unit_amount: 1 }] })
      expect(forged.status).toBe(400)
      const notAllowed = await kari.store.post<any>(base, { items: [{ variant_id: coffee.variant("Gift box"), quantity: 1 }] })
      expect(notAllowed.status).toBe(400)
      expect(notAllowed.data.message).toMatch(/cannot be chosen for this subscription/)
      const tooMany = await kari.store.post<any>(base, { items: [{ variant_id: coffee.variant("2 kg"), quantity: 4 }] })
      expect(tooMany.status).toBe(400)
      expect(tooMany.data.message).toMatch(/At most 3/)
      const mallory = await fx.customerWithCard("mallory@example.com")
      expect((await mallory.store.post<any>(base, { items: [{ variant_id: coffee.variant("2 kg"), quantity: 1 }] })).status).toBe(404)
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ pending_items: null })

      const changed = await kari.store.post<any>(base, { items: [{ variant_id: coffee.variant("2 kg"), quantity: 2 }] })
      expect(changed.status).toBe(200)
      expect(changed.data.change).toEqual({ applies_from: "2027-02-28T10:00:00.000Z", amount: 2 * withVat(549) })
      expect(changed.data.subscription).toMatchObject({
        items: [expect.objectContaining({ variant_id: coffee.variant("1 kg"), unit_amount: withVat(299) })],
        pending_items: [expect.objectContaining({ variant_id: coffee.variant("2 kg"), quantity: 2, unit_amount: withVat(549), vat: 25 })],
        pending_items_from: "2027-02-28T10:00:00.000Z",
      })
      expect(events.data("subscription.items_change_scheduled")).toEqual([
        { id: subscription.id, applies_from: "2027-02-28T10:00:00.000Z", amount: 2 * withVat(549) },
      ])
      // The current period is neither charged again nor prorated.
      expect(fx.chargesFor(subscription.id).map((charge) => charge.amount)).toEqual([withVat(299)])

      expect(await fx.renew("2027-02-28T10:00:00.000Z")).toMatchObject({ renewed: 1 })
      expect(fx.chargesFor(subscription.id).map((charge) => charge.amount)).toEqual([withVat(299), 2 * withVat(549)])
      const renewed = await fx.getSubscription(subscription.id)
      expect(renewed).toMatchObject({ pending_items: null, pending_items_from: null })
      expect(renewed.items).toEqual([expect.objectContaining({ variant_id: coffee.variant("2 kg"), quantity: 2 })])
    })
  },
})

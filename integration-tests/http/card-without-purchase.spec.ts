import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { signedCallback } from "../helpers/dintero-callbacks"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, sleep, subscriptionFixtures, type Shopper } from "../helpers/subscriptions-fixtures"
import { ensureOk, fromAxios, type StoreHttp } from "../../scripts/lib/http"
import { issueCardUpdateLinkWorkflow } from "../../src/workflows"

jest.setTimeout(240_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
process.env.DINTERO_RECONCILIATION_JOB = "off"
// Dintero signs its callbacks: the emulator signs with the secret the plugin verifies.
const dintero = useDinteroEmulator()

const SESSIONS = "/store/dintero/payment-methods/sessions"
const LINK = "/store/dintero/card-update-link"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)
    /** Every store/admin response body of a test: no card token, sealed or not, may ever be in one. */
    const bodies: string[] = []
    const record = (http: StoreHttp): StoreHttp => {
      const keep = async <T>(response: Promise<{ status: number; data: T }>) => {
        const result = await response
        bodies.push(JSON.stringify(result.data))
        return result
      }
      return { get: (p, o) => keep(http.get(p, o)), post: (p, b, o) => keep(http.post(p, b, o)), delete: (p, o) => keep(http.delete(p, o)) }
    }

    afterEach(() => {
      const tokens = dintero.emulator.tokens().map((token) => token.token)
      for (const body of bodies.splice(0)) {
        for (const token of tokens) expect(body).not.toContain(token)
        expect(body).not.toMatch(/sealed|"(payment|recurrence)_token(_id)?"\s*:/)
      }
    })

    const shopper = async (email: string): Promise<Shopper> => {
      const who = await fx.shopper(email)
      return { ...who, store: record(who.store) }
    }
    const guest = () => record(fx.ctx.store)
    const cardsOf = async (who: Shopper) => ensureOk(await who.store.get<any>("/store/dintero/payment-methods"), "list cards").payment_methods as any[]

    /** Starts a card setup as the logged-in customer and returns it (id, Dintero session_id and url). */
    async function startSetup(who: Shopper, body: Record<string, unknown> = {}) {
      const started = await who.store.post<any>(SESSIONS, body)
      expect(started.status).toBe(201)
      return started.data.card_setup as { id: string; session_id: string; url: string }
    }

    /** Waits until Dintero's callbacks for a Dintero session were answered (by the plugin's callback route). */
    const callbacksAnswered = (sessionId: string, count = 1) =>
      dintero.emulator.waitForCallbacks((a) => a.sessionId === sessionId && a.outcome === "delivered", 15_000, count)

    /** The Dintero token of the card a card setup's transaction created. */
    const tokenOf = (transactionId: string) => dintero.emulator.tokens().find((token) => token.transaction_id === transactionId)!

    it("a logged-in customer saves a card without buying, from Dintero's callback alone: listed like a checkout card, nothing charged, no payment or order", async () => {
      const ola = await shopper("ola@example.com")
      const setup = await startSetup(ola)
      expect(setup).toMatchObject({ id: expect.stringMatching(/^dcset_/), session_id: expect.any(String), url: expect.stringContaining(setup.session_id) })

      // What Dintero was asked: a zero-amount token session for the provider's card product.
      const asked = dintero.emulator.requests().find((r) => r.path === "/v1/sessions/payment-token")!
      expect(asked.status).toBe(200)
      expect(asked.body).toMatchObject({
        session: { order: { currency: expect.stringMatching(/^[A-Z]{3}$/), merchant_reference: setup.id }, url: { callback_url: expect.stringContaining("/hooks/dintero/callback") } },
        token_provider: { payment_product_type: "dintero_psp.creditcard", token_types: ["payment_token"] },
      })
      expect((asked.body as any).session.order.amount).toBeUndefined()

      const paid = await dintero.emulator.pay(setup.session_id, { card: CARDS.approved, expiry: "09/31" })
      await callbacksAnswered(setup.session_id)
      const [callback] = dintero.emulator.callbacks().filter((a) => a.sessionId === setup.session_id)
      expect(callback.status).toBe(200)
      const cards = await cardsOf(ola)
      expect(cards).toEqual([
        expect.objectContaining({ masked_pan: "411111******1111", expiry_date: "09/2031", source_transaction_id: paid.transactionId, payment_product_type: "dintero_psp.creditcard" }),
      ])
      // The token is sealed in the card vault, not on the account holder.
      const holderCards = await getContainer().resolve(Modules.PAYMENT).listAccountHolders({})
      expect(JSON.stringify(holderCards)).not.toContain(tokenOf(paid.transactionId!).token)

      // The customer's return finds it done and answers the same card.
      const completed = await ola.store.post<any>(`${SESSIONS}/${setup.id}/complete`)
      expect(completed.status).toBe(200)
      expect(completed.data.card_setup).toMatchObject({ id: setup.id, status: "completed", card: { id: cards[0].id }, subscriptions: [] })

      expect(dintero.emulator.charges()).toEqual([])
      expect(await getContainer().resolve(Modules.PAYMENT).listPayments({})).toEqual([])
      expect((await fx.ctx.admin.get<any>("/admin/orders")).data.count).toBe(0)
    })

    it("from the customer's return alone (callbacks held back), then the late callback: one card", async () => {
      const kari = await shopper("kari@example.com")
      dintero.emulator.holdCallbacks(true)
      const setup = await startSetup(kari)
      const before = await kari.store.post<any>(`${SESSIONS}/${setup.id}/complete`)
      expect(before.data.card_setup).toMatchObject({ status: "open", card: null })

      await dintero.emulator.pay(setup.session_id, { card: "5555555555554444" })
      const completed = await kari.store.post<any>(`${SESSIONS}/${setup.id}/complete`)
      expect(completed.data.card_setup).toMatchObject({ status: "completed", card: { masked_pan: "555555******4444" } })
      expect(await cardsOf(kari)).toHaveLength(1)

      dintero.emulator.holdCallbacks(false)
      await callbacksAnswered(setup.session_id)
      expect(dintero.emulator.callbacks().filter((a) => a.sessionId === setup.session_id).map((a) => a.status)).toEqual([200])
      expect(await cardsOf(kari)).toHaveLength(1)
    })

    it("returns and (repeated) callbacks racing, 5 of each at once, save the card once", async () => {
      const nils = await shopper("nils@example.com")
      dintero.emulator.holdCallbacks(true)
      const setup = await startSetup(nils)
      const paid = await dintero.emulator.pay(setup.session_id, { card: CARDS.approved })
      const callback = signedCallback(dintero.backendUrl, {
        transaction_id: paid.transactionId!,
        session_id: setup.session_id,
        merchant_reference: setup.id,
        time: new Date().toISOString(),
      })
      const raw = fromAxios(api)
      const results = await Promise.all([
        ...Array.from({ length: 5 }, () => nils.store.post<any>(`${SESSIONS}/${setup.id}/complete`)),
        ...Array.from({ length: 5 }, () => raw.get<any>(callback.path, { headers: callback.headers })),
      ])
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200))
      const cards = await cardsOf(nils)
      expect(cards).toHaveLength(1)
      for (const completed of results.slice(0, 5)) expect(completed.data.card_setup).toMatchObject({ status: "completed", card: { id: cards[0].id } })
      expect(results.slice(5).map((r) => r.data.kind)).toEqual(Array(5).fill("card_setup"))
      dintero.emulator.holdCallbacks(false)
      await callbacksAnswered(setup.session_id)
      expect(await cardsOf(nils)).toHaveLength(1)
    })

    it("guests are refused (401); another customer's setup or subscription is not found (404); nothing is opened at Dintero", async () => {
      const anon = guest()
      const refused = await anon.post<any>(SESSIONS, {})
      expect(refused.status).toBe(401)
      const ola = await shopper("ola2@example.com")
      const setup = await startSetup(ola)
      expect((await anon.post<any>(`${SESSIONS}/${setup.id}/complete`)).status).toBe(401)

      const eve = await shopper("eve@example.com")
      await dintero.emulator.pay(setup.session_id, { card: CARDS.approved })
      dintero.emulator.holdCallbacks(true)
      const stolen = await eve.store.post<any>(`${SESSIONS}/${setup.id}/complete`)
      expect(stolen.status).toBe(404)
      expect(await cardsOf(eve)).toEqual([])

      const kari = await fx.customerWithCard("kari2@example.com")
      const subscription = await fx.adminSubscription(kari, {})
      const sessionsBefore = dintero.emulator.sessions().length
      const other = await eve.store.post<any>(SESSIONS, { use_for_subscriptions: [subscription.id] })
      expect(other.status).toBe(404)
      expect(other.data.message).toBe(`Subscription ${subscription.id} was not found.`)
      expect(dintero.emulator.sessions()).toHaveLength(sessionsBefore)
    })

    it.each([
      ["vipps", /vipps cannot be saved without a purchase: Dintero tokenizes cards only/],
      ["swish.swish", /swish\.swish cannot be saved without a purchase/],
      ["collector.invoice", /collector\.invoice cannot be saved without a purchase/],
    ])("a product Dintero cannot tokenize (%s) is refused with the reason, before Dintero is asked", async (type, message) => {
      const ola = await shopper(`ola-${type}@example.com`)
      const refused = await ola.store.post<any>(SESSIONS, { payment_product_type: type })
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(message)
      expect(dintero.emulator.requests().filter((r) => r.path === "/v1/sessions/payment-token")).toEqual([])
    })

    it("the new card replaces the card of the one subscription asked for, then of all of them", async () => {
      const ola = await fx.customerWithCard("ola3@example.com")
      const first = await fx.adminSubscription(ola, {})
      const second = await fx.adminSubscription(ola, {})
      const who = { ...ola, store: record(ola.store) }

      const one = await startSetup(who, { use_for_subscriptions: [first.id] })
      await dintero.emulator.pay(one.session_id, { card: "5555555555554444" })
      const done = (await who.store.post<any>(`${SESSIONS}/${one.id}/complete`)).data.card_setup
      expect(done.subscriptions).toEqual([{ id: first.id, attached: true, retry: false }])
      expect((await fx.getSubscription(first.id)).card_id).toBe(done.card.id)
      expect((await fx.getSubscription(second.id)).card_id).toBe(ola.cardId)

      const all = await startSetup(who, { use_for_subscriptions: "all" })
      await dintero.emulator.pay(all.session_id, { card: "4111111111111111", expiry: "01/33" })
      const allDone = (await who.store.post<any>(`${SESSIONS}/${all.id}/complete`)).data.card_setup
      expect(allDone.subscriptions.map((s: any) => s.id).sort()).toEqual([first.id, second.id].sort())
      expect((await fx.getSubscription(first.id)).card_id).toBe(allDone.card.id)
      expect((await fx.getSubscription(second.id)).card_id).toBe(allDone.card.id)
      expect(await cardsOf(who)).toHaveLength(3)
      expect(dintero.emulator.charges()).toEqual([])
    })

    it("a past_due subscription given the new card is charged again at once, with the new card only", async () => {
      const nora = await fx.customerWithCard("nora@example.com", CARDS.doNotRetry)
      const subscription = await fx.adminSubscription(nora, { starts_at: new Date(Date.now() - 3_600_000).toISOString() })
      expect(await fx.renew(new Date())).toMatchObject({ failed: 1 })
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ status: "past_due", next_charge_at: null })
      const oldToken = fx.chargesFor(subscription.id)[0].tokenId

      const who = { ...nora, store: record(nora.store) }
      const setup = await startSetup(who, { use_for_subscriptions: [subscription.id] })
      const paid = await dintero.emulator.pay(setup.session_id, { card: CARDS.approved })
      const done = (await who.store.post<any>(`${SESSIONS}/${setup.id}/complete`)).data.card_setup
      expect(done.subscriptions).toEqual([{ id: subscription.id, attached: true, retry: true, retry_outcome: "renewed" }])

      const charges = fx.chargesFor(subscription.id)
      expect(charges.map((c) => [c.success, c.tokenId])).toEqual([
        [false, oldToken],
        [true, tokenOf(paid.transactionId!).id],
      ])
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ status: "active", card_id: done.card.id })
      // The late callback finds the setup done: no second charge.
      await callbacksAnswered(setup.session_id)
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
    })

    describe("card-update links", () => {
      async function issueLink(subscriptionId: string, body: Record<string, unknown> = {}) {
        const issued = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscriptionId}/card-update-link`, body)
        expect(issued.status).toBe(201)
        const { url, expires_at } = issued.data.card_update_link
        expect(url).toMatch(/^http:\/\/localhost:8000\/account\/card-update\?token=/)
        return { url, expires_at, token: new URL(url).searchParams.get("token")! }
      }

      it("works without a login, bound to its subscription, and only once", async () => {
        const ola = await fx.customerWithCard("ola4@example.com")
        const subscription = await fx.adminSubscription(ola, {})
        const other = await fx.adminSubscription(ola, {})
        const link = await issueLink(subscription.id, { ttl_hours: 2 })
        expect(Date.parse(link.expires_at) - Date.now()).toBeGreaterThan(7_000_000)
        const anon = guest()

        const shown = await anon.post<any>(LINK, { token: link.token })
        expect(shown.status).toBe(200)
        expect(shown.data.card_update_link.subscription).toMatchObject({
          id: subscription.id,
          status: "active",
          card: { last4: "1111" },
          items: [{ title: "Coffee beans, 1 kg", quantity: 1 }],
        })
        expect(JSON.stringify(shown.data)).not.toContain(ola.email)

        const started = await anon.post<any>(`${LINK}/sessions`, { token: link.token })
        expect(started.status).toBe(201)
        const setup = started.data.card_setup
        await dintero.emulator.pay(setup.session_id, { card: "5555555555554444" })
        const done = await anon.post<any>(`${LINK}/sessions/${setup.id}/complete`, { token: link.token })
        expect(done.status).toBe(200)
        expect(done.data.card_setup.subscriptions).toEqual([{ id: subscription.id, attached: true, retry: false }])
        expect((await fx.getSubscription(subscription.id)).card_id).toBe(done.data.card_setup.card.id)
        expect((await fx.getSubscription(other.id)).card_id).toBe(ola.cardId)
        // The customer's account has the card, like any saved card.
        expect((await cardsOf(ola)).map((card) => card.id)).toContain(done.data.card_setup.card.id)

        // Used: refused with the reason, everywhere.
        const again = await anon.post<any>(LINK, { token: link.token })
        expect(again.status).toBe(400)
        expect(again.data.message).toMatch(/already used/)
        expect((await anon.post<any>(`${LINK}/sessions`, { token: link.token })).status).toBe(400)
        // Repeating the completion answers what it did, and changes nothing.
        const repeated = await anon.post<any>(`${LINK}/sessions/${setup.id}/complete`, { token: link.token })
        expect(repeated.data.card_setup.card.id).toBe(done.data.card_setup.card.id)
      })

      it("an expired link is refused with the reason; forged and altered tokens are not found; another link cannot complete a setup", async () => {
        const ola = await fx.customerWithCard("ola5@example.com")
        const subscription = await fx.adminSubscription(ola, {})
        const { result } = await issueCardUpdateLinkWorkflow(getContainer()).run({ input: { subscription_id: subscription.id, ttl_hours: 1 / 3600 } })
        const token = new URL(result.url).searchParams.get("token")!
        await sleep(1_500)
        const anon = guest()
        const expired = await anon.post<any>(LINK, { token })
        expect(expired.status).toBe(400)
        expect(expired.data.message).toMatch(/expired at/)
        expect((await anon.post<any>(`${LINK}/sessions`, { token })).status).toBe(400)

        const live = await issueLink(subscription.id)
        const altered = live.token.slice(0, -1) + (live.token.endsWith("A") ? "B" : "A")
        for (const forged of [altered, "x".repeat(43), live.token.toUpperCase()]) {
          const res = await anon.post<any>(LINK, { token: forged })
          expect(res.status).toBe(404)
          expect(res.data.message).toBe("This card-update link is not valid.")
        }
        expect((await anon.post<any>(LINK, {})).status).toBe(400)

        // A setup started with one link cannot be completed with another (nor with a forged token).
        const setup = (await anon.post<any>(`${LINK}/sessions`, { token: live.token })).data.card_setup
        await dintero.emulator.pay(setup.session_id, { card: "5555555555554444" })
        dintero.emulator.holdCallbacks(true)
        const second = await issueLink(subscription.id)
        expect((await anon.post<any>(`${LINK}/sessions/${setup.id}/complete`, { token: second.token })).status).toBe(404)
        expect((await anon.post<any>(`${LINK}/sessions/${setup.id}/complete`, { token: altered })).status).toBe(404)
        expect((await fx.getSubscription(subscription.id)).card_id).toBe(ola.cardId)
        // Nor by a customer's own route without being that customer.
        const eve = await shopper("eve2@example.com")
        expect((await eve.store.post<any>(`${SESSIONS}/${setup.id}/complete`)).status).toBe(404)
      })

      it("the link of a payment-failed email: the past_due subscription is charged again at once, with the card entered through it", async () => {
        const nora = await fx.customerWithCard("nora2@example.com", CARDS.doNotRetry)
        const subscription = await fx.adminSubscription(nora, { starts_at: new Date(Date.now() - 3_600_000).toISOString() })
        expect(await fx.renew(new Date())).toMatchObject({ failed: 1 })
        const oldToken = fx.chargesFor(subscription.id)[0].tokenId
        // As the payment-failed notice issues it: the workflow, no admin involved.
        const { result } = await issueCardUpdateLinkWorkflow(getContainer()).run({ input: { subscription_id: subscription.id } })
        expect(Date.parse(result.expires_at) - Date.now()).toBeGreaterThan(71 * 3_600_000)
        const token = new URL(result.url).searchParams.get("token")!
        const anon = guest()
        expect((await anon.post<any>(LINK, { token })).data.card_update_link.subscription.status).toBe("past_due")
        const setup = (await anon.post<any>(`${LINK}/sessions`, { token })).data.card_setup
        const paid = await dintero.emulator.pay(setup.session_id, { card: CARDS.approved, expiry: "03/32" })
        // Dintero's callback alone completes it: the customer may never come back to the page.
        await callbacksAnswered(setup.session_id)
        const charges = fx.chargesFor(subscription.id)
        expect(charges.map((c) => [c.success, c.tokenId])).toEqual([
          [false, oldToken],
          [true, tokenOf(paid.transactionId!).id],
        ])
        const after = await fx.getSubscription(subscription.id)
        expect(after.status).toBe("active")
        const done = (await anon.post<any>(`${LINK}/sessions/${setup.id}/complete`, { token })).data.card_setup
        expect(done.subscriptions).toEqual([{ id: subscription.id, attached: true, retry: true }])
        expect(after.card_id).toBe(done.card.id)
        expect((await anon.post<any>(LINK, { token })).status).toBe(400)
      })

      it("two setups through one link confirmed at the same moment: one card is attached, the link is used once", async () => {
        const ola = await fx.customerWithCard("ola6@example.com")
        const subscription = await fx.adminSubscription(ola, {})
        const link = await issueLink(subscription.id)
        const anon = guest()
        const a = (await anon.post<any>(`${LINK}/sessions`, { token: link.token })).data.card_setup
        const b = (await anon.post<any>(`${LINK}/sessions`, { token: link.token })).data.card_setup
        dintero.emulator.holdCallbacks(true)
        await dintero.emulator.pay(a.session_id, { card: "5555555555554444" })
        await dintero.emulator.pay(b.session_id, { card: "4111111111111111", expiry: "02/34" })
        const results = await Promise.all(
          [a, b, a, b, a, b].map((setup) => anon.post<any>(`${LINK}/sessions/${setup.id}/complete`, { token: link.token }))
        )
        expect(results.map((r) => r.status)).toEqual(Array(6).fill(200))
        dintero.emulator.holdCallbacks(false)
        await callbacksAnswered(a.session_id)
        await callbacksAnswered(b.session_id)

        const outcomes = [results[0], results[1]].map((r) => r.data.card_setup)
        const attached = outcomes.filter((o) => o.subscriptions[0].attached)
        expect(attached).toHaveLength(1)
        const loser = outcomes.find((o) => !o.subscriptions[0].attached)
        expect(loser.subscriptions[0].reason).toMatch(/already used/)
        expect((await fx.getSubscription(subscription.id)).card_id).toBe(attached[0].card.id)
        expect((await anon.post<any>(LINK, { token: link.token })).status).toBe(400)
      })

      it("an admin cannot issue a link for a subscription that does not exist or has ended", async () => {
        const ola = await fx.customerWithCard("ola7@example.com")
        const subscription = await fx.adminSubscription(ola, {})
        expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/sub_nope/card-update-link`, {})).status).toBe(404)
        expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/card-update-link`, { ttl_hours: -1 })).status).toBe(400)
        ensureOk(await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/cancel`, { at_period_end: false }), "cancel")
        const ended = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/card-update-link`, {})
        expect(ended.status).toBe(400)
        expect(ended.data.message).toMatch(/canceled/)
      })
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, subscriptionFixtures, type Shopper } from "../helpers/subscriptions-fixtures"
import { DINTERO_CARD_VAULT_MODULE, type DinteroCardVaultModuleService } from "../../src/modules/dintero-card-vault"

jest.setTimeout(180_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: null })

const MASTERCARD = "5555555555554444"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)
    const cardsUrl = (customerId: string) => `/admin/customers/${customerId}/dintero-payment-methods`
    const vault = () => getContainer().resolve(DINTERO_CARD_VAULT_MODULE) as DinteroCardVaultModuleService

    /** Every admin response body of a test, to prove no token, sealed blob or token id is ever returned. */
    const adminBodies: string[] = []
    beforeEach(() => adminBodies.splice(0))
    const admin = {
      get: async (path: string) => {
        const response = await fx.ctx.admin.get<any>(path)
        adminBodies.push(JSON.stringify(response.data))
        return response
      },
      delete: async (path: string) => {
        const response = await fx.ctx.admin.delete<any>(path)
        adminBodies.push(JSON.stringify(response.data))
        return response
      },
    }

    /** What must never reach an admin response: Dintero's tokens and their ids, and the sealed blobs. */
    async function secrets(): Promise<string[]> {
      const credentials = await vault().listDinteroCardCredentials({})
      const values = [
        ...dintero.emulator.tokens().flatMap((token) => [token.token, token.id]),
        ...credentials.flatMap((credential) => [credential.sealed_tokens, credential.payment_token_id, credential.recurrence_token_id]),
      ].filter((value): value is string => typeof value === "string" && value.length > 0)
      expect(values.length).toBeGreaterThan(0)
      return values
    }

    function expectNoSecretIn(bodies: string[], values: string[]) {
      expect(bodies.length).toBeGreaterThan(0)
      for (const body of bodies) {
        expect(body).not.toMatch(/"(sealed_tokens|payment_token|recurrence_token|payment_token_id|recurrence_token_id)":/)
        for (const value of values) {
          expect(body).not.toContain(value)
        }
      }
    }

    /**
     * Kari: a Visa saved at a plain checkout that an admin-created subscription (and a canceled one) uses,
     * and a MasterCard saved at the checkout that started her monthly subscription.
     */
    async function kariWithCards() {
      const kari = await fx.customerWithCard("kari@example.com", CARDS.approved)
      const visaCheckout = (await kari.store.get<any>("/store/orders")).data.orders[0]
      const adminSub = await fx.adminSubscription(kari, { interval: "month" })
      const canceled = await fx.adminSubscription(kari, { interval: "week" })
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${canceled.id}/cancel`, { at_period_end: false })).status).toBe(200)

      const { order: planCheckout, transactionId } = await fx.checkout(kari, MASTERCARD, { plan: { interval: "month" } })
      const [started] = (await fx.waitForSubscriptions(kari, 3)).filter((subscription) => subscription.id !== adminSub.id && subscription.id !== canceled.id)
      const cards = (await kari.store.get<any>("/store/dintero/payment-methods")).data.payment_methods
      const mastercard = cards.find((card: any) => card.source_transaction_id === transactionId)
      expect(started.card_id).toBe(mastercard.id)
      return { kari, visaId: kari.cardId, mastercardId: mastercard.id as string, visaCheckout, planCheckout, adminSub, canceled, started }
    }

    it("the admin sees each saved card masked, where it came from and the subscriptions it pays, and never a token", async () => {
      const { kari, visaId, mastercardId, visaCheckout, planCheckout, adminSub, started } = await kariWithCards()

      const listed = await admin.get(cardsUrl(kari.customerId))
      expect(listed.status).toBe(200)
      const byId = Object.fromEntries(listed.data.payment_methods.map((card: any) => [card.id, card]))
      expect(Object.keys(byId).sort()).toEqual([visaId, mastercardId].sort())

      expect(byId[visaId]).toMatchObject({
        brand: "Visa",
        masked_pan: expect.stringMatching(/^411111\*+1111$/),
        expiry_date: expect.stringMatching(/^\d{2}\/\d{4}$/),
        expired: false,
        source: { type: "checkout", order_id: visaCheckout.id, order_display_id: visaCheckout.display_id, transaction_id: expect.any(String) },
        // The canceled subscription no longer charges the card: only the live one is listed.
        subscriptions: [
          {
            id: adminSub.id,
            status: "active",
            cancel_at_period_end: false,
            next_charge_at: expect.any(String),
            plan: { interval: "month", interval_count: 1, amount: 29900, currency_code: adminSub.currency_code.toUpperCase(), description: "Coffee beans, 1 kg" },
          },
        ],
      })
      expect(byId[mastercardId]).toMatchObject({
        brand: "MasterCard",
        masked_pan: expect.stringMatching(/4444$/),
        source: { type: "subscription_checkout", order_id: planCheckout.id, subscription_ids: [started.id] },
        subscriptions: [expect.objectContaining({ id: started.id, status: "active", plan: expect.objectContaining({ interval: "month" }) })],
      })

      // The one-card view (the delete preview) says the same.
      const one = await admin.get(`${cardsUrl(kari.customerId)}/${mastercardId}`)
      expect(one.status).toBe(200)
      expect(one.data.payment_method).toEqual(byId[mastercardId])

      expectNoSecretIn(adminBodies, await secrets())
    })

    it("a delete that would leave subscriptions without a card is refused with their list and changes nothing; confirmed, it goes through", async () => {
      const { kari, visaId, mastercardId, adminSub, started } = await kariWithCards()
      const credentialsBefore = (await vault().listDinteroCardCredentials({})).map((credential) => credential.id).sort()
      const storeCards = async (who: Shopper) => (await who.store.get<any>("/store/dintero/payment-methods")).data.payment_methods.map((card: any) => card.id).sort()
      const cardsBefore = await storeCards(kari)

      for (const query of ["", "?confirm=false"]) {
        const refused = await admin.delete(`${cardsUrl(kari.customerId)}/${visaId}${query}`)
        expect(refused.status).toBe(409)
        expect(refused.data.message).toMatch(new RegExp(`Visa 411111\\*+1111 pays 1 subscription \\(${adminSub.id}\\).*without a card`))
        expect(refused.data.subscriptions).toEqual([expect.objectContaining({ id: adminSub.id, status: "active" })])
      }
      // Nothing changed: the card is listed, its tokens are kept, the subscription still pays with it.
      expect(await storeCards(kari)).toEqual(cardsBefore)
      expect((await vault().listDinteroCardCredentials({})).map((credential) => credential.id).sort()).toEqual(credentialsBefore)
      expect(await fx.getSubscription(adminSub.id)).toMatchObject({ card_id: visaId, status: "active" })

      const deleted = await admin.delete(`${cardsUrl(kari.customerId)}/${visaId}?confirm=true`)
      expect(deleted.status).toBe(200)
      expect(deleted.data).toEqual({
        id: visaId,
        object: "payment_method",
        deleted: true,
        subscriptions_without_card: [expect.objectContaining({ id: adminSub.id })],
      })
      expect(await storeCards(kari)).toEqual([mastercardId])
      expect(await vault().listDinteroCardCredentials({ id: visaId })).toEqual([])
      // The subscription is left as it was (its next renewal fails until the card is changed), not canceled.
      expect(await fx.getSubscription(adminSub.id)).toMatchObject({ card_id: visaId, status: "active" })

      // Once its subscription is canceled, a card is deleted without asking.
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${started.id}/cancel`, { at_period_end: false })).status).toBe(200)
      const preview = await admin.get(`${cardsUrl(kari.customerId)}/${mastercardId}`)
      expect(preview.data.payment_method.subscriptions).toEqual([])
      const unused = await admin.delete(`${cardsUrl(kari.customerId)}/${mastercardId}`)
      expect(unused.status).toBe(200)
      expect(unused.data).toMatchObject({ id: mastercardId, deleted: true, subscriptions_without_card: [] })
      expect(await storeCards(kari)).toEqual([])
      expect((await admin.get(cardsUrl(kari.customerId))).data.payment_methods).toEqual([])
    })

    it("an unknown customer or card, or another customer's card, is a 404 and a malformed confirm a 400, changing nothing", async () => {
      const kari = await fx.customerWithCard("kari@example.com")
      const ola = await fx.customerWithCard("ola@example.com", MASTERCARD)
      const nora = await fx.shopper("nora@example.com")

      const unknownCustomer = await admin.get(cardsUrl("cus_doesnotexist"))
      expect(unknownCustomer.status).toBe(404)
      expect(unknownCustomer.data.message).toBe("Customer cus_doesnotexist was not found.")
      expect((await admin.delete(`${cardsUrl("cus_doesnotexist")}/${kari.cardId}?confirm=true`)).status).toBe(404)

      // A customer who never saved a card has none (and no account holder): her list is empty, a card a 404.
      expect((await admin.get(cardsUrl(nora.customerId))).data).toEqual({ payment_methods: [] })
      for (const [customerId, cardId] of [
        [kari.customerId, "dcard_doesnotexist"],
        [kari.customerId, ola.cardId],
        [nora.customerId, kari.cardId],
      ]) {
        const preview = await admin.get(`${cardsUrl(customerId)}/${cardId}`)
        expect(preview.status).toBe(404)
        const refused = await admin.delete(`${cardsUrl(customerId)}/${cardId}?confirm=true`)
        expect(refused.status).toBe(404)
        expect(refused.data.message).toBe(`Saved card ${cardId} was not found.`)
      }

      for (const query of ["?confirm=yes", "?confirm=1", "?force=true"]) {
        const malformed = await admin.delete(`${cardsUrl(kari.customerId)}/${kari.cardId}${query}`)
        expect(malformed.status).toBe(400)
        expect(malformed.data.message).toMatch(/confirm|force/)
      }
      expect((await admin.get(`${cardsUrl(kari.customerId)}?limit=5`)).status).toBe(400)

      // Nothing was deleted by any of it.
      expect((await admin.get(cardsUrl(kari.customerId))).data.payment_methods.map((card: any) => card.id)).toEqual([kari.cardId])
      expect((await admin.get(cardsUrl(ola.customerId))).data.payment_methods.map((card: any) => card.id)).toEqual([ola.cardId])
      expect(await vault().listDinteroCardCredentials({})).toHaveLength(2)
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, daysAfter, subscriptionFixtures } from "../helpers/subscriptions-fixtures"

jest.setTimeout(180_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: null })

const coffee = (unit_amount: number) => [{ title: "Coffee beans, 1 kg", quantity: 1, unit_amount, vat: 15 }]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)

    it("after DO_NOT_RETRY the card is charged by no subscription again, cannot be re-attached, and says why; a new card is charged", async () => {
      const nora = await fx.customerWithCard("nora@example.com", CARDS.doNotRetry)
      const start = "2027-03-01T08:00:00.000Z"
      const first = await fx.adminSubscription(nora, { starts_at: start })
      const second = await fx.adminSubscription(nora, { starts_at: daysAfter(start, 1) })

      expect(await fx.renew(start)).toMatchObject({ failed: 1 })
      expect(await fx.getSubscription(first.id)).toMatchObject({ status: "past_due", next_charge_at: null })
      const [card] = (await nora.store.get<any>("/store/dintero/payment-methods")).data.payment_methods
      expect(card.blocked).toMatchObject({ code: "DO_NOT_RETRY", transaction_id: fx.chargesFor(first.id)[0].transactionId })
      expect(Object.keys(card)).not.toEqual(expect.arrayContaining(["sealed_tokens"]))
      expect(Object.keys(card).filter((key) => key.endsWith("token_id"))).toEqual([])

      // Re-attaching the declined card (store or admin) is refused with the reason, and changes nothing.
      const storeAttach = await nora.store.post<any>(`/store/customers/me/subscriptions/${first.id}/card`, { card_id: nora.cardId })
      expect(storeAttach.status).toBe(400)
      expect(storeAttach.data.message).toMatch(/DO_NOT_RETRY.*save a new card/)
      const adminAttach = await fx.ctx.admin.post<any>(`/admin/subscriptions/${first.id}/card`, { card_id: nora.cardId })
      expect(adminAttach.status).toBe(400)
      expect(await fx.getSubscription(first.id)).toMatchObject({ status: "past_due", next_charge_at: null })
      const another = await fx.ctx.admin.post<any>("/admin/subscriptions", {
        customer_id: nora.customerId, card_id: nora.cardId, region_id: fx.ctx.seeded.regionId, items: coffee(100), interval: "month",
      })
      expect(another.status).toBe(400)

      // The other subscription on the same card comes due: Dintero is not asked; it goes past_due and says why.
      const events = fx.recordEvents()
      expect(await fx.renew(daysAfter(start, 1))).toMatchObject({ failed: 1 })
      expect(fx.chargesFor(second.id)).toEqual([])
      const secondNow = await fx.getSubscription(second.id)
      expect(secondNow).toMatchObject({ status: "past_due", next_charge_at: null })
      expect(secondNow.charges).toEqual([expect.objectContaining({ status: "failed", error_code: "card_blocked", retry_codes: ["DO_NOT_RETRY"], transaction_id: null })])
      expect(events.data("subscription.past_due")).toEqual([expect.objectContaining({ id: second.id, reason: "do_not_retry" })])
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${second.id}/charge`)).status).toBe(400)
      expect(await fx.renew(daysAfter(start, 40))).toMatchObject({ subscriptions: 0 })
      expect(dintero.emulator.charges().filter((charge) => charge.success === false)).toHaveLength(1)

      // A newly saved card is a new card: attached, it is charged at the next run.
      const newCard = await fx.addCard(nora, CARDS.approved)
      expect((await nora.store.post<any>(`/store/customers/me/subscriptions/${second.id}/card`, { card_id: newCard })).status).toBe(200)
      expect(await fx.renew(daysAfter(start, 40))).toMatchObject({ renewed: 2 })
      expect(fx.chargesFor(second.id).map((charge) => charge.success)).toEqual([true, true])
    })

    it("a prorated upgrade declined with DO_NOT_RETRY is not charged again when the change is repeated, nor is the next renewal", async () => {
      const kari = await fx.customerWithCard("kari@example.com")
      const start = new Date(Date.now() - 10 * 86_400_000).toISOString()
      const subscription = await fx.adminSubscription(kari, { starts_at: start, items: coffee(29900) })
      expect(await fx.renew(new Date())).toMatchObject({ renewed: 1 })
      const paid = await fx.getSubscription(subscription.id)
      // From now on the issuer answers DO_NOT_RETRY for this card's token (twice, should we ask twice).
      dintero.emulator.setTokenOutcomes(fx.chargesFor(subscription.id)[0].tokenId!, ["do_not_retry", "do_not_retry"])

      const upgrade = { items: coffee(49900), prorate: true }
      const declined = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan`, upgrade)
      expect(declined.status).toBeGreaterThanOrEqual(400)
      expect(fx.chargesFor(subscription.id).map((charge) => charge.success)).toEqual([true, false])

      for (let repeat = 0; repeat < 2; repeat++) {
        const repeated = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan`, upgrade)
        expect(repeated.status).toBe(400)
        expect(repeated.data.message).toMatch(/DO_NOT_RETRY/)
      }
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
      expect((await fx.getSubscription(subscription.id)).items).toEqual([expect.objectContaining({ unit_amount: 29900 })])

      expect(await fx.renew(paid.current_period_end)).toMatchObject({ failed: 1 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ status: "past_due", next_charge_at: null })
    })

    // checkout_session_pay_post: a request Dintero refuses answers 400 with `Error & SessionPayResult`
    // (success: false). That is Dintero's answer about this charge, recorded like a decline with its code,
    // not a failure to reach Dintero.
    it("a renewal Dintero refuses (the saved card's token was revoked) is recorded as a decline with Dintero's code and message", async () => {
      const ingrid = await fx.customerWithCard("ingrid@example.com")
      const start = "2027-06-01T08:00:00.000Z"
      const subscription = await fx.adminSubscription(ingrid, { starts_at: start })
      const [card] = (await ingrid.store.get<any>("/store/dintero/payment-methods")).data.payment_methods
      const token = dintero.emulator.tokens().find((stored) => stored.transaction_id === card.source_transaction_id)!
      dintero.emulator.revokeToken(token.id)

      expect(await fx.renew(start)).toMatchObject({ failed: 1 })
      const refused = dintero.emulator.requests().filter((r: any) => r.path === "/v1/sessions/pay").at(-1) as any
      expect(refused.status).toBe(400)
      expect(fx.chargesFor(subscription.id)).toEqual([])
      const after = await fx.getSubscription(subscription.id)
      expect(after.charges).toEqual([
        expect.objectContaining({ status: "failed", error_code: "INVALID_TOKEN", error_message: expect.stringMatching(/revoked/), transaction_id: null }),
      ])
    })

    it("an admin cannot create a subscription that ends before it starts, or backdated so far that catch-up is unbounded", async () => {
      const ola = await fx.customerWithCard("ola@example.com")
      const body = { customer_id: ola.customerId, card_id: ola.cardId, region_id: fx.ctx.seeded.regionId, items: coffee(29900), interval: "day" }
      const create = (extra: Record<string, unknown>) => fx.ctx.admin.post<any>("/admin/subscriptions", { ...body, ...extra })

      const backwards = await create({ starts_at: "2027-05-01T00:00:00.000Z", expires_at: "2027-04-01T00:00:00.000Z" })
      expect(backwards.status).toBe(400)
      expect(backwards.data.message).toMatch(/expires_at must be after starts_at/)
      expect((await create({ starts_at: "2027-05-01T00:00:00.000Z", expires_at: "2027-05-01T00:00:00.000Z" })).status).toBe(400)
      expect((await create({ expires_at: daysAfter(new Date(), -1) })).status).toBe(400)

      const yearsBack = await create({ starts_at: daysAfter(new Date(), -800), interval: "year" })
      expect(yearsBack.status).toBe(400)
      expect(yearsBack.data.message).toMatch(/366 days/)
      const dailyMonthBack = await create({ starts_at: daysAfter(new Date(), -20) })
      expect(dailyMonthBack.status).toBe(400)
      expect(dailyMonthBack.data.message).toMatch(/more than 12 day periods/)
      expect((await fx.ctx.admin.get<any>(`/admin/subscriptions?customer_id=${ola.customerId}`)).data.count).toBe(0)

      // Within the bound: each missed period is charged once by the next run.
      const weekBack = await create({ starts_at: daysAfter(new Date(), -5.5) })
      expect(weekBack.status).toBe(201)
      expect(await fx.renew(new Date())).toMatchObject({ renewed: 6 })
    })
  },
})

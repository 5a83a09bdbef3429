import "../helpers/env"
import { WorkflowManager } from "@medusajs/framework/orchestration"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { scale } from "../../src/modules/subscription/proration"
import { daysAfter, subscriptionFixtures } from "../helpers/subscriptions-fixtures"

jest.setTimeout(180_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
process.env.SUBSCRIPTION_RENEWAL_SCHEDULE = "0 */6 * * *"
const dintero = useDinteroEmulator({ callbackSecret: null })

const coffee = (unit_amount: number, quantity = 1) => [{ title: "Coffee beans, 1 kg", quantity, unit_amount, vat: 15 }]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)

    it("the renewal job runs in Medusa's scheduler on the cron from the options", () => {
      expect(WorkflowManager.getWorkflow("job-dintero-renew-subscriptions")?.options?.schedule).toMatchObject({ cron: "0 */6 * * *" })
    })

    /** A monthly subscription whose first period started 10 days ago and is paid. */
    async function paidSubscription(email: string, unitAmount = 29900) {
      const who = await fx.customerWithCard(email)
      const start = new Date(Date.now() - 10 * 86_400_000).toISOString()
      const subscription = await fx.adminSubscription(who, { starts_at: start, items: coffee(unitAmount) })
      expect(await fx.renew(new Date())).toMatchObject({ renewed: 1 })
      return { who, subscription: await fx.getSubscription(subscription.id) }
    }

    it("an upgrade with proration charges the difference for the rest of the period now, once; the new price bills from the next period", async () => {
      const { subscription } = await paidSubscription("kari@example.com")
      const upgrade = { items: coffee(49900), prorate: true }
      const changed = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan`, upgrade)
      expect(changed.status).toBe(200)

      // round_half_up((49900 − 29900) × (period_end − now) / (period_end − period_start))
      const { proration } = changed.data
      const periodMs = Date.parse(subscription.current_period_end) - Date.parse(subscription.current_period_start)
      const remainingMs = Date.parse(subscription.current_period_end) - Date.parse(proration.at)
      expect(proration).toMatchObject({ amount: scale(20000, remainingMs, periodMs), period_ms: periodMs, remaining_ms: remainingMs })
      expect(proration.amount).toBeGreaterThan(13000) // about 20 of 30 days left
      const charges = fx.chargesFor(subscription.id)
      expect(charges.map((charge) => charge.amount)).toEqual([29900, proration.amount])
      const { data } = await fx.ctx.admin.get<any>(`/admin/orders/${proration.order_id}?fields=id,total,payment_status`)
      expect(data.order).toMatchObject({ total: proration.amount / 100, payment_status: "captured" })
      expect(changed.data.subscription.items).toEqual([expect.objectContaining({ unit_amount: 49900 })])

      // The same change sent again (a retried request) is not charged again.
      const repeated = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan`, upgrade)
      expect(repeated.status).toBe(200)
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)

      expect(await fx.renew(subscription.current_period_end)).toMatchObject({ renewed: 1 })
      expect(fx.chargesFor(subscription.id).map((charge) => charge.amount)).toEqual([29900, proration.amount, 49900])
    })

    it("a downgrade is never credited back: nothing is charged now and the lower price bills from the next period", async () => {
      const { subscription } = await paidSubscription("ola@example.com", 49900)
      const changed = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan`, { items: coffee(19900), prorate: true })
      expect(changed.status).toBe(200)
      expect(changed.data.proration).toMatchObject({ amount: 0, charge_id: null, order_id: null })
      expect(await fx.renew(subscription.current_period_end)).toMatchObject({ renewed: 1 })
      expect(fx.chargesFor(subscription.id).map((charge) => charge.amount)).toEqual([49900, 19900])

      const invalid = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan`, { items: coffee(19900), interval: "week", prorate: true })
      expect(invalid.status).toBe(400)
    })

    it("a customer who cancels at period end keeps the paid period, and nothing more is charged", async () => {
      const { who, subscription } = await paidSubscription("nora@example.com")
      const events = fx.recordEvents()
      const canceled = await who.store.post<any>(`/store/customers/me/subscriptions/${subscription.id}/cancel`, {})
      expect(canceled.status).toBe(200)
      expect(canceled.data.subscription).toMatchObject({ status: "active", cancel_at_period_end: true })

      expect(await fx.renew(subscription.current_period_end)).toMatchObject({ canceled: 1, renewed: 0 })
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ status: "canceled", ended_at: subscription.current_period_end, next_charge_at: null })
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
      expect(events.data("subscription.canceled")).toEqual([{ id: subscription.id, reason: "period_end" }])
      expect(await fx.renew(daysAfter(subscription.current_period_end, 60))).toMatchObject({ subscriptions: 0 })
    })

    it("nothing is charged while a subscription is paused; after resuming, renewals go on", async () => {
      const { who, subscription } = await paidSubscription("per@example.com")
      const paused = await who.store.post<any>(`/store/customers/me/subscriptions/${subscription.id}/pause`, {})
      expect(paused.data.subscription).toMatchObject({ status: "paused", next_charge_at: null })
      expect(await fx.renew(daysAfter(subscription.current_period_end, 1))).toMatchObject({ subscriptions: 0 })
      expect((await who.store.post<any>(`/store/customers/me/subscriptions/${subscription.id}/pause`, {})).status).toBe(400)

      const resumed = await who.store.post<any>(`/store/customers/me/subscriptions/${subscription.id}/resume`, {})
      expect(resumed.data.subscription).toMatchObject({ status: "active", next_charge_at: subscription.current_period_end })
      expect(await fx.renew(subscription.current_period_end)).toMatchObject({ renewed: 1 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
    })

    it("another customer can neither see nor change someone's subscription, nor point it at their own card", async () => {
      const { who: owner, subscription } = await paidSubscription("kari@example.com")
      const mallory = await fx.customerWithCard("mallory@example.com")
      const base = `/store/customers/me/subscriptions/${subscription.id}`

      expect((await mallory.store.get<any>("/store/customers/me/subscriptions")).data.subscriptions).toEqual([])
      expect((await mallory.store.get<any>(base)).status).toBe(404)
      for (const [path, body] of [["pause", {}], ["resume", {}], ["cancel", { at_period_end: false }], ["card", { card_id: mallory.cardId }]] as const) {
        expect((await mallory.store.post<any>(`${base}/${path}`, body)).status).toBe(404)
      }
      expect((await fx.ctx.store.get<any>(base)).status).toBe(401)

      // The owner cannot use someone else's card either.
      expect((await owner.store.post<any>(`${base}/card`, { card_id: mallory.cardId })).status).toBe(404)
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ status: "active", card_id: owner.cardId })
      const mine = await owner.store.get<any>(base)
      expect(mine.status).toBe(200)
      expect(mine.data.subscription.charges).toBeUndefined()
    })

    it("a fixed-term subscription expires instead of renewing into a period past its end", async () => {
      const who = await fx.customerWithCard("liv@example.com")
      const start = "2027-01-15T10:00:00.000Z"
      const subscription = await fx.adminSubscription(who, { starts_at: start, interval: "week", expires_at: "2027-01-29T10:00:00.000Z" })
      const events = fx.recordEvents()
      expect(await fx.renew(start)).toMatchObject({ renewed: 1 })
      expect(await fx.renew(daysAfter(start, 7))).toMatchObject({ renewed: 1 })
      expect(await fx.renew(daysAfter(start, 14))).toMatchObject({ expired: 1, renewed: 0 })
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ status: "expired", ended_at: "2027-01-29T10:00:00.000Z", next_charge_at: null })
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
      expect(events.data("subscription.expired")).toEqual([{ id: subscription.id }])
    })

    it("the admin lists and filters subscriptions, validates bodies, and can charge the next period now", async () => {
      const { who, subscription } = await paidSubscription("eva@example.com")
      const later = await fx.adminSubscription(who, { starts_at: "2027-01-15T10:00:00.000Z", interval: "week", interval_count: 2 })

      const all = await fx.ctx.admin.get<any>(`/admin/subscriptions?customer_id=${who.customerId}`)
      expect(all.data).toMatchObject({ count: 2 })
      const paused = await fx.ctx.admin.post<any>(`/admin/subscriptions/${later.id}/pause`, {})
      expect(paused.data.subscription.status).toBe("paused")
      const active = await fx.ctx.admin.get<any>("/admin/subscriptions?status=active")
      expect(active.data.subscriptions.map((s: any) => s.id)).toEqual([subscription.id])

      expect((await fx.ctx.admin.post<any>("/admin/subscriptions", { customer_id: who.customerId, interval: "fortnight" })).status).toBe(400)
      const unknownCard = await fx.ctx.admin.post<any>("/admin/subscriptions", {
        customer_id: who.customerId,
        card_id: "dcard_nope",
        region_id: fx.ctx.seeded.regionId,
        items: coffee(100),
        interval: "month",
      })
      expect(unknownCard.status).toBe(404)
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/cancel`, { when: "now" })).status).toBe(400)

      const charged = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/charge`, {})
      expect(charged.status).toBe(200)
      expect(charged.data.renewal).toMatchObject({ outcome: "renewed", period_start: subscription.current_period_end })
      expect(charged.data.subscription.current_period_start).toBe(subscription.current_period_end)
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${later.id}/charge`, {})).status).toBe(400)

      const canceled = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/cancel`, {})
      expect(canceled.data.subscription).toMatchObject({ status: "canceled", next_charge_at: null })
    })
  },
})

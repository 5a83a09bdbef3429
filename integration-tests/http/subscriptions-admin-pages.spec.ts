import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { scale } from "../../src/modules/subscription/proration"
import { CARDS, daysAfter, subscriptionFixtures } from "../helpers/subscriptions-fixtures"

jest.setTimeout(180_000)

// The admin's Subscriptions pages read these routes: the list's search and filters, the overview figures,
// and the dry run of a plan change that its confirmation shows.
process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: null })

const coffee = (unit_amount: number) => [{ title: "Coffee beans, 1 kg", quantity: 1, unit_amount, vat: 15 }]

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)
    const list = async (query: string) => {
      const response = await fx.ctx.admin.get<any>(`/admin/subscriptions?${query}`)
      expect(response.status).toBe(200)
      return response.data as { subscriptions: any[]; count: number }
    }
    const ids = (page: { subscriptions: any[] }) => page.subscriptions.map((subscription) => subscription.id).sort()

    it("the merchant finds subscriptions by customer e-mail or name, id, due date and customer, page by page", async () => {
      const kari = await fx.customerWithCard("kari.nordmann@example.com")
      const ola = await fx.customerWithCard("ola@example.com")
      const soon = await fx.adminSubscription(kari, { starts_at: "2027-01-10T08:00:00.000Z" })
      const later = await fx.adminSubscription(kari, { starts_at: "2027-03-10T08:00:00.000Z" })
      const olas = await fx.adminSubscription(ola, { starts_at: "2027-02-10T08:00:00.000Z", interval: "year" })

      const byEmail = await list("q=kari.nordmann")
      expect(ids(byEmail)).toEqual([soon.id, later.id].sort())
      expect(byEmail.subscriptions[0].customer).toMatchObject({ id: kari.customerId, email: "kari.nordmann@example.com" })
      // A name is only on the customer (another module): found through Medusa's customer search.
      expect((await fx.ctx.admin.post<any>(`/admin/customers/${ola.customerId}`, { first_name: "Ingrid", last_name: "Bergersen" })).status).toBe(200)
      const byName = await list("q=bergersen")
      expect(ids(byName)).toEqual([olas.id])
      expect(byName.subscriptions[0].customer).toMatchObject({ first_name: "Ingrid", last_name: "Bergersen" })
      expect(ids(await list(`q=${olas.id.slice(-10)}`))).toEqual([olas.id])
      // LIKE wildcards in the search are literal characters, not "match anything".
      expect((await list("q=%25")).count).toBe(0)
      expect((await list("q=s_b")).count).toBe(0) // as a wildcard, "_" would match the "u" of every "sub_" id

      expect(ids(await list("due_before=2027-02-10"))).toEqual([soon.id, olas.id].sort())
      expect(ids(await list("due_before=2027-02-10T07:59:59Z"))).toEqual([soon.id])
      expect(ids(await list(`customer_id=${kari.customerId}&due_before=2027-02-28`))).toEqual([soon.id])

      // Several values at once, as the admin's select filters send them (a list: `status[0]=…&status[1]=…`).
      expect(ids(await list(`customer_id[0]=${kari.customerId}&customer_id[1]=${ola.customerId}`))).toEqual([soon.id, later.id, olas.id].sort())
      expect(ids(await list(`customer_id[0]=${ola.customerId}`))).toEqual([olas.id])
      expect(ids(await list("status[0]=active&status[1]=paused"))).toHaveLength(3)
      expect((await list("status[0]=paused")).count).toBe(0)
      expect((await list("status=paused,canceled")).count).toBe(0)
      expect((await fx.ctx.admin.get<any>("/admin/subscriptions?status[0]=active&status[1]=sleeping")).status).toBe(400)

      const first = await list("order=next_charge_at&limit=2&offset=0")
      const second = await list("order=next_charge_at&limit=2&offset=2")
      expect(first.count).toBe(3)
      expect([...first.subscriptions, ...second.subscriptions].map((subscription) => subscription.id)).toEqual([soon.id, olas.id, later.id])

      const invalid = await fx.ctx.admin.get<any>("/admin/subscriptions?due_before=next-tuesday")
      expect(invalid.status).toBe(400)
      expect(invalid.data.message).toContain("due_before")
      expect((await fx.ctx.admin.get<any>("/admin/subscriptions?order=customer_id")).status).toBe(400)
    })

    it("the overview counts active, past due and this month's cancellations, and MRR per currency with yearly plans as a twelfth", async () => {
      const kari = await fx.customerWithCard("kari@example.com")
      const nora = await fx.customerWithCard("nora@example.com", CARDS.doNotRetry)
      const now = new Date()
      const monthly = await fx.adminSubscription(kari, { items: coffee(29900) })
      await fx.adminSubscription(kari, { items: coffee(100000), interval: "year", starts_at: daysAfter(now, 30) })
      await fx.adminSubscription(kari, { items: coffee(1200), interval: "week", interval_count: 2, starts_at: daysAfter(now, 30) })
      const paused = await fx.adminSubscription(kari, { items: coffee(50000), starts_at: daysAfter(now, 30) })
      const canceled = await fx.adminSubscription(kari, { items: coffee(70000), starts_at: daysAfter(now, 30) })
      const declined = await fx.adminSubscription(nora, { items: coffee(19900) })

      expect(await fx.renew(new Date())).toMatchObject({ renewed: 1, failed: 1 })
      expect(await fx.getSubscription(monthly.id)).toMatchObject({ status: "active" })
      expect(await fx.getSubscription(declined.id)).toMatchObject({ status: "past_due" })
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${paused.id}/pause`, {})).status).toBe(200)
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${canceled.id}/cancel`, {})).status).toBe(200)

      const { status, data } = await fx.ctx.admin.get<any>("/admin/subscriptions/overview")
      expect(status).toBe(200)
      // MRR bills active and past_due: 29900 monthly + round_half_up(100000 / 12) = 8333
      // + round_half_up(1200 × 52 / 24) = 2600 every two weeks + 19900 past due; paused and canceled bill nothing.
      expect(data.overview).toMatchObject({
        active: 3,
        past_due: 1,
        paused: 1,
        canceled_this_month: 1,
        monthly_recurring_revenue: [{ currency_code: "nok", amount: 29900 + 8333 + 2600 + 19900, subscriptions: 4 }],
      })
    })

    it("the plan-change preview shows the proration the change then charges, and charges and changes nothing itself", async () => {
      const who = await fx.customerWithCard("eva@example.com")
      const created = await fx.adminSubscription(who, { starts_at: daysAfter(new Date(), -10), items: coffee(29900) })
      expect(await fx.renew(new Date())).toMatchObject({ renewed: 1 })
      const subscription = await fx.getSubscription(created.id)
      const upgrade = { items: coffee(49900), prorate: true }
      const periodMs = Date.parse(subscription.current_period_end) - Date.parse(subscription.current_period_start)

      const previewed = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan/preview`, upgrade)
      expect(previewed.status).toBe(200)
      const { preview } = previewed.data
      const remainingMs = Date.parse(subscription.current_period_end) - Date.parse(preview.proration.at)
      expect(preview).toMatchObject({
        currency_code: "nok",
        current_amount: 29900,
        new_amount: 49900,
        interval: "month",
        applies_from: subscription.current_period_end,
        proration: { amount: scale(20000, remainingMs, periodMs), period_ms: periodMs, remaining_ms: remainingMs },
        charge_now: scale(20000, remainingMs, periodMs),
        already_paid: false,
      })
      expect(preview.charge_now).toBeGreaterThan(13000)
      // A dry run: Dintero was not asked, the plan is as it was.
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ items: [expect.objectContaining({ unit_amount: 29900 })] })

      const changed = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan`, upgrade)
      expect(changed.status).toBe(200)
      // The change recomputes at its own time: at most a few seconds' worth of the difference apart.
      expect(Math.abs(changed.data.proration.amount - preview.charge_now)).toBeLessThanOrEqual(1)
      // Sent again, the same change is already the plan: nothing more to charge.
      const again = (await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan/preview`, upgrade)).data.preview
      expect(again).toMatchObject({ current_amount: 49900, new_amount: 49900, charge_now: 0, proration: { amount: 0 } })

      const downgrade = (await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan/preview`, { items: coffee(9900), prorate: true })).data.preview
      expect(downgrade).toMatchObject({ new_amount: 9900, charge_now: 0, proration: { amount: 0 } })

      const intervalProrated = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan/preview`, { ...upgrade, interval: "year" })
      expect(intervalProrated.status).toBe(400)
      expect(intervalProrated.data.message).toContain("cannot be prorated")
      expect((await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/change-plan/preview`, { items: [] })).status).toBe(400)
      expect((await fx.ctx.admin.post<any>("/admin/subscriptions/sub_nope/change-plan/preview", upgrade)).status).toBe(404)
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
    })
  },
})

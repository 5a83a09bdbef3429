import "../helpers/env"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, daysAfter, subscriptionFixtures } from "../helpers/subscriptions-fixtures"
import { runScheduledRenewals } from "../../src/workflows/subscriptions"

jest.setTimeout(180_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: null })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)

    it("a checkout with a monthly plan starts a subscription on the saved card; each renewal is one charge and one paid order", async () => {
      const kari = await fx.shopper("kari@example.com")
      const { order, transactionId } = await fx.checkout(kari, CARDS.approved, { plan: { interval: "month", interval_count: 1 }, quantity: 2 })
      const [subscription] = await fx.waitForSubscriptions(kari)
      expect(subscription).toMatchObject({ status: "active", interval: "month", interval_count: 1, currency_code: "nok" })
      const detail = await fx.getSubscription(subscription.id)
      expect(detail.source_order_id).toBe(order.id)
      const cards = (await kari.store.get<any>("/store/dintero/payment-methods")).data.payment_methods
      expect(cards.map((c: any) => c.source_transaction_id)).toEqual([transactionId])
      expect(detail.card_id).toBe(cards[0].id)
      // 2 × 299 NOK + 25 % VAT, and 49 NOK shipping + 25 % VAT, in øre.
      expect(detail.items).toEqual([
        expect.objectContaining({ type: "item", quantity: 2, unit_amount: 37375, vat: 25 }),
        expect.objectContaining({ type: "shipping", quantity: 1, unit_amount: 6125, vat: 25 }),
      ])

      // Dintero's callback for the charge (which reads the transaction back) is held until the renewal is done.
      dintero.emulator.holdCallbacks(true)
      const requestsBefore = dintero.emulator.requests().length
      const summary = await fx.renew(detail.current_period_end)
      expect(summary).toMatchObject({ subscriptions: 1, renewed: 1, failed: 0 })
      // A first attempt asks Dintero once: the charge itself. No look-up of earlier charges (nothing can have been
      // charged for this period without our knowing) and no re-read of the transaction /sessions/pay answered.
      const asked = dintero.emulator.requests().slice(requestsBefore).filter((request: any) => !request.path.includes("/auth/"))
      expect(asked.map((request: any) => `${request.method} ${request.path}`)).toEqual(["POST /v1/sessions/pay"])
      dintero.emulator.holdCallbacks(false)
      expect(await fx.renew(detail.current_period_end)).toMatchObject({ subscriptions: 0, renewed: 0 })

      const charges = fx.chargesFor(subscription.id)
      expect(charges).toHaveLength(1)
      expect(charges[0]).toMatchObject({ amount: 2 * 37375 + 6125, currency: "NOK", success: true })
      // The charge names our callback URL (session.url.callback_url), so Dintero can report a later decision on
      // it, and its metadata key has Dintero's ext_ prefix. The callback for this renewal is answered 200:
      // the renewal settled it already, so there is nothing to do and nothing for Dintero to retry.
      const pay = dintero.emulator.requests().filter((r: any) => r.path === "/v1/sessions/pay").at(-1) as any
      expect(pay.body.session.url).toEqual({
        callback_url: `${dintero.backendUrl}/hooks/dintero/callback?report_event=CAPTURE&report_event=REFUND&report_event=VOID&report_error=true&delay_callback=10`,
      })
      expect(pay.body.session.metadata).toEqual({ ext_medusa_payment_session_id: expect.stringMatching(/^payses_/) })
      const [callback] = await dintero.emulator.waitForCallbacks((d) => d.transactionId === charges[0].transactionId && d.outcome !== "retrying", 20_000)
      expect(callback).toMatchObject({ outcome: "delivered", status: 200, attempt: 1 })
      const renewed = await fx.getSubscription(subscription.id)
      expect(renewed.current_period_start).toBe(detail.current_period_end)
      expect(renewed.next_charge_at).toBe(renewed.current_period_end)
      expect(renewed.charges).toEqual([expect.objectContaining({ status: "succeeded", attempt: 1, amount: 80875, transaction_id: charges[0].transactionId })])
      const renewalOrderId = renewed.charges[0].order_id
      expect(renewed.orders.map((o: any) => o.id).sort()).toEqual([order.id, renewalOrderId].sort())

      const { data } = await fx.ctx.admin.get<any>(`/admin/orders/${renewalOrderId}?fields=id,total,payment_status,customer_id,*items,*shipping_methods`)
      expect(data.order).toMatchObject({ total: 808.75, payment_status: "captured", customer_id: kari.customerId })
    })

    it("a subscription started on the 31st renews on 29 February in a leap year and on the 31st again after", async () => {
      const ola = await fx.customerWithCard("ola@example.com")
      const subscription = await fx.adminSubscription(ola, { starts_at: "2027-12-31T10:00:00.000Z" })
      const dates: string[] = []
      let now = "2027-12-31T10:00:00.000Z"
      for (let i = 0; i < 4; i++) {
        expect(await fx.renew(now)).toMatchObject({ renewed: 1 })
        const current = await fx.getSubscription(subscription.id)
        dates.push(current.current_period_end)
        now = current.next_charge_at
      }
      expect(dates).toEqual(["2028-01-31T10:00:00.000Z", "2028-02-29T10:00:00.000Z", "2028-03-31T10:00:00.000Z", "2028-04-30T10:00:00.000Z"])
      expect(fx.chargesFor(subscription.id).map((c) => c.merchantReference)).toEqual([
        `${subscription.id}:2027-12-31`,
        `${subscription.id}:2028-01-31`,
        `${subscription.id}:2028-02-29`,
        `${subscription.id}:2028-03-31`,
      ])
    })

    it("after a week of downtime each missed daily period is charged once, oldest first, a bounded number per run", async () => {
      const ola = await fx.customerWithCard("ola@example.com")
      const start = "2027-03-01T08:00:00.000Z"
      const subscription = await fx.adminSubscription(ola, { starts_at: start, interval: "day" })
      expect(await fx.renew(start)).toMatchObject({ renewed: 1 })

      // The job did not run for a week: periods starting on 2–9 March are due at 9 March 09:00.
      const back = "2027-03-09T09:00:00.000Z"
      expect(await fx.renew(back, { policy: { maxPeriodsPerRun: 5 } })).toMatchObject({ renewed: 5 })
      expect(await fx.renew(back, { policy: { maxPeriodsPerRun: 5 } })).toMatchObject({ renewed: 3 })
      expect(await fx.renew(back)).toMatchObject({ subscriptions: 0 })

      const references = fx.chargesFor(subscription.id).map((charge) => charge.merchantReference.split(":")[1])
      expect(references).toEqual(["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05", "2027-03-06", "2027-03-07", "2027-03-08", "2027-03-09"])
      const current = await fx.getSubscription(subscription.id)
      expect(current).toMatchObject({ status: "active", current_period_start: "2027-03-09T08:00:00.000Z", next_charge_at: "2027-03-10T08:00:00.000Z" })
      expect(current.orders).toHaveLength(9)
    })

    it("DO_NOT_RETRY: past_due at once, never charged again with that card, not even by the admin; a new card is charged at the next run", async () => {
      const nora = await fx.customerWithCard("nora@example.com", CARDS.doNotRetry)
      const start = "2027-03-01T08:00:00.000Z"
      const subscription = await fx.adminSubscription(nora, { starts_at: start })
      const events = fx.recordEvents()

      expect(await fx.renew(start)).toMatchObject({ failed: 1 })
      let current = await fx.getSubscription(subscription.id)
      expect(current).toMatchObject({ status: "past_due", next_charge_at: null })
      expect(current.charges).toEqual([
        expect.objectContaining({ status: "failed", attempt: 1, retry_codes: ["DO_NOT_RETRY"], error_types: expect.arrayContaining(["RESTRICTED_CARD"]) }),
      ])
      expect(events.names()).toEqual(expect.arrayContaining(["subscription.payment_failed", "subscription.past_due"]))
      expect(events.data("subscription.past_due")[0]).toMatchObject({ id: subscription.id, reason: "do_not_retry" })

      expect(await fx.renew(daysAfter(start, 30))).toMatchObject({ subscriptions: 0 })
      const forced = await fx.ctx.admin.post<any>(`/admin/subscriptions/${subscription.id}/charge`)
      expect(forced.status).toBe(400)
      expect(forced.data.message).toMatch(/DO_NOT_RETRY/)
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)

      const newCard = await fx.addCard(nora, CARDS.approved)
      const changed = await nora.store.post<any>(`/store/customers/me/subscriptions/${subscription.id}/card`, { card_id: newCard })
      expect(changed.status).toBe(200)
      expect(await fx.renew(daysAfter(start, 30))).toMatchObject({ renewed: 1 })
      current = await fx.getSubscription(subscription.id)
      expect(current).toMatchObject({ status: "active", card_id: newCard, current_period_start: start })
      expect(fx.chargesFor(subscription.id).map((charge) => charge.success)).toEqual([false, true])
    })

    it("RETRY_AFTER_DELAY: the next attempt waits for Dintero's retry_after", async () => {
      const per = await fx.customerWithCard("per@example.com", CARDS.retryAfterDelay)
      const start = new Date(Date.now() - 60_000).toISOString()
      const subscription = await fx.adminSubscription(per, { starts_at: start })

      const now = new Date().toISOString()
      expect(await fx.renew(now)).toMatchObject({ failed: 1 })
      let current = await fx.getSubscription(subscription.id)
      const [failed] = current.charges
      expect(failed).toMatchObject({ status: "failed", retry_codes: ["RETRY_AFTER_DELAY"], error_types: expect.arrayContaining(["INSUFFICIENT_FUNDS"]) })
      expect(failed.retry_after).toEqual(expect.any(String))
      expect(current).toMatchObject({ status: "past_due", next_charge_at: failed.retry_after })
      expect(failed.next_retry_at).toBe(failed.retry_after)

      expect(await fx.renew(daysAfter(now, 0.5))).toMatchObject({ subscriptions: 0 })
      expect(await fx.renew(failed.retry_after)).toMatchObject({ failed: 1 })
      current = await fx.getSubscription(subscription.id)
      expect(current.charges.map((charge: any) => charge.attempt).sort()).toEqual([1, 2])
      expect(new Set(fx.chargesFor(subscription.id).map((charge) => charge.merchantReference)).size).toBe(1)
    })

    it("RETRY_IMMEDIATELY: one retry at once, then the 1-3-7-day schedule, then the subscription is canceled", async () => {
      const liv = await fx.customerWithCard("liv@example.com", CARDS.retryImmediately)
      const start = "2027-03-01T08:00:00.000Z"
      const subscription = await fx.adminSubscription(liv, { starts_at: start })
      const events = fx.recordEvents()

      expect(await fx.renew(start)).toMatchObject({ failed: 2 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(2)
      expect(await fx.getSubscription(subscription.id)).toMatchObject({ status: "past_due", next_charge_at: daysAfter(start, 1) })

      expect(await fx.renew(daysAfter(start, 1))).toMatchObject({ failed: 1 })
      expect((await fx.getSubscription(subscription.id)).next_charge_at).toBe(daysAfter(start, 1 + 3))
      expect(await fx.renew(daysAfter(start, 4))).toMatchObject({ failed: 1 })
      expect((await fx.getSubscription(subscription.id)).next_charge_at).toBe(daysAfter(start, 4 + 7))
      expect(await fx.renew(daysAfter(start, 11))).toMatchObject({ failed: 1 })

      const ended = await fx.getSubscription(subscription.id)
      expect(ended).toMatchObject({ status: "canceled", next_charge_at: null, ended_at: daysAfter(start, 11) })
      expect(fx.chargesFor(subscription.id)).toHaveLength(5)
      expect(events.data("subscription.canceled")).toEqual([expect.objectContaining({ id: subscription.id, reason: "dunning_exhausted" })])
      expect(events.data("subscription.payment_failed")).toHaveLength(5)
    })

    it("three renewal runs at the same time charge every period exactly once", async () => {
      const eva = await fx.customerWithCard("eva@example.com")
      const start = "2027-05-01T06:00:00.000Z"
      const subscriptions = await Promise.all([1, 2, 3].map(() => fx.adminSubscription(eva, { starts_at: start, interval: "day" })))
      const now = daysAfter(start, 2.5) // three periods due for each

      const runs = await Promise.all([fx.renew(now), fx.renew(now), fx.renew(now, { concurrency: 1 })])
      expect(runs.reduce((sum, run) => sum + run.renewed, 0)).toBe(9)
      for (const subscription of subscriptions) {
        const charges = fx.chargesFor(subscription.id)
        expect(charges.map((charge) => charge.merchantReference.split(":")[1])).toEqual(["2027-05-01", "2027-05-02", "2027-05-03"])
        const current = await fx.getSubscription(subscription.id)
        expect(current.orders).toHaveLength(3)
        expect(current.charges.filter((charge: any) => charge.status === "succeeded")).toHaveLength(3)
      }
    })

    it("a tick of the renewal job that comes while the previous run is still going is skipped, and says so in the log", async () => {
      const nora = await fx.customerWithCard("nora@example.com")
      const start = "2027-08-01T06:00:00.000Z"
      const subscriptions = await Promise.all([1, 2].map(() => fx.adminSubscription(nora, { starts_at: start })))
      const logger = getContainer().resolve(ContainerRegistrationKeys.LOGGER)
      const logged = jest.spyOn(logger, "info")
      // Dintero answers slowly, so the first run is still charging when the next tick comes.
      dintero.emulator.setLatency(300)
      const first = runScheduledRenewals(getContainer(), { now: start })
      const second = await runScheduledRenewals(getContainer(), { now: start })
      expect(second).toEqual({
        ran: false,
        reason: expect.stringMatching(/^renew-subscriptions: previous run still in progress \(started \S+ in this process\), skipping this tick$/),
      })
      expect(logged).toHaveBeenCalledWith((second as { reason: string }).reason)
      expect(await first).toMatchObject({ ran: true, summary: { subscriptions: 2, renewed: 2 } })
      dintero.emulator.setLatency(0)
      for (const subscription of subscriptions) {
        expect(fx.chargesFor(subscription.id)).toEqual([expect.objectContaining({ success: true })])
      }
      // Once it is over, the next tick runs.
      expect(await runScheduledRenewals(getContainer(), { now: start })).toMatchObject({ ran: true, summary: { subscriptions: 0 } })
      logged.mockRestore()
    })

    it("a crash between Dintero's answer and our write is recovered at the next run without a second charge", async () => {
      const siri = await fx.customerWithCard("siri@example.com")
      const start = "2027-06-30T12:00:00.000Z"
      const subscription = await fx.adminSubscription(siri, { starts_at: start })

      // Dintero charges the card, but the connection drops before we read its answer. (The path is written as
      // a regex: the emulator reads a plain "/sessions/pay" as the regex /sessions/ with flags "pay".)
      dintero.emulator.injectFault({ kind: "reset", phase: "after", match: { method: "POST", path: "/^\\/v1\\/sessions\\/pay$/" } })
      expect(await fx.renew(start)).toMatchObject({ unknown: 1, renewed: 0 })
      let current = await fx.getSubscription(subscription.id)
      expect(current).toMatchObject({ status: "active", next_charge_at: start })
      expect(current.charges).toEqual([expect.objectContaining({ status: "unknown", attempt: 1 })])
      expect(fx.chargesFor(subscription.id)).toEqual([expect.objectContaining({ success: true })])

      expect(await fx.renew(daysAfter(start, 0.01))).toMatchObject({ renewed: 1 })
      const [charge] = fx.chargesFor(subscription.id)
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
      // Found by its merchant_reference at Dintero and adopted: Dintero was not asked to pay a second time.
      expect(dintero.emulator.requests().filter((request) => request.path === "/v1/sessions/pay")).toHaveLength(1)
      current = await fx.getSubscription(subscription.id)
      expect(current.charges).toEqual([expect.objectContaining({ status: "succeeded", attempt: 1, transaction_id: charge.transactionId })])
      expect(current.orders).toHaveLength(1)
      expect(current).toMatchObject({ status: "active", current_period_start: start, current_period_end: "2027-07-30T12:00:00.000Z" })
    })
  },
})

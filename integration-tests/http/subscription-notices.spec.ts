import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, daysAfter, sleep, subscriptionFixtures } from "../helpers/subscriptions-fixtures"
import { sendScheduledSubscriptionNotices } from "../../src/workflows/subscription-notices"

jest.setTimeout(240_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
process.env.SUBSCRIPTION_NOTICES_JOB = "off"
// Medusa's local notification provider serves "email" in this store: it logs each notice, and Medusa's
// Notification module records it, which is where these tests read them back.
process.env.LOCAL_EMAIL_NOTIFICATIONS = "true"
const dintero = useDinteroEmulator({ callbackSecret: null })

const yearly = { interval: "year" }

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)
    const notifications = () => getContainer().resolve(Modules.NOTIFICATION)

    /** The notices sent to `to`, oldest first, once `count` of them are there (subscribers run after the event). */
    async function noticesTo(to: string, count: number, patienceMs = 20_000): Promise<any[]> {
      const read = () => notifications().listNotifications({ to }, { order: { created_at: "ASC" } })
      for (let waited = 0; waited < patienceMs && (await read()).length < count; waited += 250) {
        await sleep(250)
      }
      // Anything a late or repeated delivery would add arrives in this pause and fails the count.
      await sleep(750)
      return read()
    }

    /** What a notice may never carry: a Dintero token (clear or by id), a sealed blob, a secret. */
    /** medusa-config.ts's subscriptions.cardUpdateUrl with a card-update link's token (workflows/card-setup). */
    const CARD_UPDATE_URL = expect.stringMatching(/^http:\/\/localhost:8000\/account\/card-update\?token=[\w-]{20,}$/)

    function expectNoSecrets(notice: any) {
      // The card-update link is the one credential a notice is meant to carry (single-use, expiring).
      const { card_update_url: _link, ...data } = notice.data
      const text = JSON.stringify(data)
      for (const token of dintero.emulator.tokens()) {
        expect(text).not.toContain(token.token)
        expect(text).not.toContain(token.id)
      }
      expect(text).not.toMatch(/token|sealed|secret/i)
    }

    /** Runs `work` while the event bus withholds the events named `name`; answers their data. */
    async function withholding(name: string, work: () => Promise<unknown>): Promise<any[]> {
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      const original = eventBus.emit.bind(eventBus)
      const held: any[] = []
      const spy = jest.spyOn(eventBus, "emit").mockImplementation(async (messages: any, options?: any) => {
        const list = Array.isArray(messages) ? messages : [messages]
        held.push(...list.filter((message) => message.name === name).map((message) => message.data))
        const rest = list.filter((message) => message.name !== name)
        return rest.length ? original(rest, options) : undefined
      })
      try {
        await work()
      } finally {
        spy.mockRestore()
      }
      return held
    }

    it("each declined renewal with a retry ahead is told once, with the amount, the next attempt and the card; dunning's cancel is told once", async () => {
      const liv = await fx.customerWithCard("liv@example.com", CARDS.retryImmediately)
      const start = "2027-03-01T08:00:00.000Z"
      const subscription = await fx.adminSubscription(liv, { starts_at: start })

      // Dintero's RETRY_IMMEDIATELY: the immediate retry's own decline is what the customer hears of.
      expect(await fx.renew(start)).toMatchObject({ failed: 2 })
      let notices = await noticesTo(liv.email, 1)
      expect(notices).toHaveLength(1)
      const [charge1, charge2] = (await fx.getSubscription(subscription.id)).charges.sort((a: any, b: any) => a.attempt - b.attempt)
      expect(notices[0]).toMatchObject({
        to: liv.email,
        channel: "email",
        template: "dintero-subscription-payment-failed",
        status: "success",
        idempotency_key: `dintero-subscription:payment_failed:${charge2.id}`,
        resource_id: subscription.id,
        receiver_id: liv.customerId,
      })
      expect(notices[0].data).toEqual({
        subscription_id: subscription.id,
        customer_id: liv.customerId,
        first_name: expect.any(String),
        last_name: expect.any(String),
        amount: 29900,
        currency_code: "nok",
        card: { brand: expect.any(String), masked_pan: expect.stringMatching(/0127$/), expiry_date: expect.stringMatching(/^\d{2}\/\d{4}$/) },
        attempt: 2,
        next_attempt_at: daysAfter(start, 1),
        period_start: start,
        period_end: expect.any(String),
        decline_code: charge2.error_code,
        card_update_url: CARD_UPDATE_URL,
      })
      expect(charge1.id).not.toBe(charge2.id)
      expectNoSecrets(notices[0])
      // The notice's link opens this subscription's card-update page without a login (the store's guest API).
      const token = new URL(notices[0].data.card_update_url).searchParams.get("token")
      const shown = await fx.ctx.store.post<any>("/store/dintero/card-update-link", { token })
      expect(shown.status).toBe(200)
      expect(shown.data.card_update_link.subscription).toMatchObject({ id: subscription.id, status: "past_due" })

      expect(await fx.renew(daysAfter(start, 1))).toMatchObject({ failed: 1 })
      expect(await fx.renew(daysAfter(start, 4))).toMatchObject({ failed: 1 })
      notices = await noticesTo(liv.email, 3)
      expect(notices.map((notice) => [notice.template, notice.data.attempt, notice.data.next_attempt_at])).toEqual([
        ["dintero-subscription-payment-failed", 2, daysAfter(start, 1)],
        ["dintero-subscription-payment-failed", 3, daysAfter(start, 4)],
        ["dintero-subscription-payment-failed", 4, daysAfter(start, 11)],
      ])

      // The last attempt: dunning cancels. One notice says so (not a "payment failed" without a next attempt).
      expect(await fx.renew(daysAfter(start, 11))).toMatchObject({ failed: 1 })
      notices = await noticesTo(liv.email, 4)
      expect(notices).toHaveLength(4)
      expect(notices[3]).toMatchObject({
        template: "dintero-subscription-canceled",
        idempotency_key: `dintero-subscription:canceled:${subscription.id}`,
        data: expect.objectContaining({ subscription_id: subscription.id, reason: "dunning_exhausted", canceled_at: daysAfter(start, 11), amount: 29900 }),
      })
      notices.forEach(expectNoSecrets)
    })

    it("DO_NOT_RETRY stops the retries: one past-due notice with the reason and the card-update link's place, no payment-failed notice", async () => {
      const nora = await fx.customerWithCard("nora@example.com", CARDS.doNotRetry)
      const start = "2027-03-01T08:00:00.000Z"
      const subscription = await fx.adminSubscription(nora, { starts_at: start })
      expect(await fx.renew(start)).toMatchObject({ failed: 1 })
      const notices = await noticesTo(nora.email, 1)
      const [charge] = (await fx.getSubscription(subscription.id)).charges
      expect(notices).toEqual([
        expect.objectContaining({
          template: "dintero-subscription-past-due",
          idempotency_key: `dintero-subscription:past_due:${charge.id}`,
          data: expect.objectContaining({ subscription_id: subscription.id, reason: "do_not_retry", amount: 29900, currency_code: "nok", card_update_url: CARD_UPDATE_URL }),
        }),
      ])
      expectNoSecrets(notices[0])
    })

    it("a payment-failed event delivered five times at once sends one notice", async () => {
      const per = await fx.customerWithCard("per@example.com", CARDS.retryImmediately)
      const start = "2027-04-01T08:00:00.000Z"
      await fx.adminSubscription(per, { starts_at: start })
      // The run's own deliveries are held back, then the real event is delivered five times at once.
      const held = await withholding("subscription.payment_failed", () => fx.renew(start))
      expect(held).toHaveLength(2)
      expect(await noticesTo(per.email, 0)).toHaveLength(0)
      const retried = held.find((data) => data.retry_reason !== "immediate")
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      await Promise.all(Array.from({ length: 5 }, () => eventBus.emit({ name: "subscription.payment_failed", data: retried })))
      const notices = await noticesTo(per.email, 1)
      expect(notices).toHaveLength(1)
      expect(notices[0]).toMatchObject({ template: "dintero-subscription-payment-failed", idempotency_key: `dintero-subscription:payment_failed:${retried.charge_id}` })

      // Delivered again later (an event bus retry): still one.
      await eventBus.emit({ name: "subscription.payment_failed", data: retried })
      expect(await noticesTo(per.email, 2, 3_000)).toHaveLength(1)
    })

    it("a notice whose delivery failed is sent when its event is delivered again, once", async () => {
      const siri = await fx.customerWithCard("siri@example.com", CARDS.retryImmediately)
      const start = "2027-04-01T08:00:00.000Z"
      await fx.adminSubscription(siri, { starts_at: start })
      const held = await withholding("subscription.payment_failed", () => fx.renew(start))
      const retried = held.find((data) => data.retry_reason !== "immediate")
      const key = `dintero-subscription:payment_failed:${retried.charge_id}`
      // A first delivery the provider could not take: Medusa records the notification as failed under the key.
      await expect(
        notifications().createNotifications({ to: siri.email, channel: "sms", template: "dintero-subscription-payment-failed", idempotency_key: key })
      ).rejects.toThrow(/notification provider/)
      expect(await notifications().listNotifications({ idempotency_key: key } as any)).toEqual([expect.objectContaining({ status: "failure" })])

      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      await Promise.all(Array.from({ length: 3 }, () => eventBus.emit({ name: "subscription.payment_failed", data: retried })))
      const notices = await noticesTo(siri.email, 2, 5_000)
      expect(notices).toEqual([expect.objectContaining({ idempotency_key: key, channel: "email", status: "success", data: expect.objectContaining({ attempt: 2 }) })])
    })

    it("a yearly plan is reminded once, the configured days before its charge; monthly plans only when the merchant asks", async () => {
      const ane = await fx.customerWithCard("ane@example.com")
      const start = "2027-05-10T08:00:00.000Z"
      const year = await fx.adminSubscription(ane, { ...yearly, starts_at: start })
      const month = await fx.adminSubscription(ane, { starts_at: start })
      const monthAsked = await fx.adminSubscription(ane, { starts_at: start, metadata: { renewal_reminder: true } })
      const yearDeclined = await fx.adminSubscription(ane, { ...yearly, starts_at: start, metadata: { renewal_reminder: false } })
      expect(await fx.renew(start)).toMatchObject({ renewed: 4 })
      const nextYear = (await fx.getSubscription(year.id)).next_charge_at
      expect(nextYear).toBe("2028-05-10T08:00:00.000Z")

      // Eight days ahead: too early (default renewalReminderDays 7).
      expect(await sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(nextYear, -8) })).toMatchObject({ ran: true, sent: 0 })
      // The monthly subscription that asked for reminders is reminded of its own next charge (in June 2027).
      const june = (await fx.getSubscription(monthAsked.id)).next_charge_at
      expect(await sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(june, -6) })).toMatchObject({ ran: true, sent: 1 })

      // Six days ahead, two runs at the same moment: one reminder.
      const [first, second] = await Promise.all([
        sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(nextYear, -6) }),
        sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(nextYear, -6) }),
      ])
      expect([first, second].map((run) => (run.ran ? run.sent : 0)).reduce((a, b) => a + b)).toBe(1)
      // A later run finds it sent.
      expect(await sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(nextYear, -5) })).toMatchObject({ ran: true, sent: 0 })

      const notices = await noticesTo(ane.email, 2)
      expect(notices.map((notice) => [notice.template, notice.resource_id, notice.data.next_charge_at])).toEqual([
        ["dintero-subscription-renewal-reminder", monthAsked.id, june],
        ["dintero-subscription-renewal-reminder", year.id, nextYear],
      ])
      expect(notices[1]).toMatchObject({
        idempotency_key: `dintero-subscription:renewal_reminder:${year.id}:${nextYear}`,
        data: expect.objectContaining({
          amount: 29900,
          currency_code: "nok",
          interval: "year",
          interval_count: 1,
          items: [{ title: "Coffee beans, 1 kg", quantity: 1, unit_amount: 29900 }],
        }),
      })
      expect(notices.map((notice) => notice.resource_id)).not.toContain(month.id)
      expect(notices.map((notice) => notice.resource_id)).not.toContain(yearDeclined.id)
      notices.forEach(expectNoSecrets)
    })

    it("a card that will have expired at the next renewal is announced once, ahead of it, with the card-update link's place", async () => {
      // A card valid through the end of this month; the subscription's first charge is two days after.
      const today = new Date()
      const expiry = `${String(today.getUTCMonth() + 1).padStart(2, "0")}/${String(today.getUTCFullYear()).slice(2)}`
      const firstAfterExpiry = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 3, 8)).toISOString()
      const ola = await fx.customerWithCard("ola@example.com", CARDS.approved, expiry)
      const expiring = await fx.adminSubscription(ola, { starts_at: firstAfterExpiry })
      const kari = await fx.customerWithCard("kari@example.com")
      await fx.adminSubscription(kari, { starts_at: firstAfterExpiry })

      // Twenty days ahead is outside the lead time (cardExpiryNoticeDays 14).
      expect(await sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(firstAfterExpiry, -20) })).toMatchObject({ ran: true, sent: 0 })
      expect(await sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(firstAfterExpiry, -10) })).toMatchObject({ ran: true, sent: 1 })
      expect(await sendScheduledSubscriptionNotices(getContainer(), { now: daysAfter(firstAfterExpiry, -3) })).toMatchObject({ ran: true, sent: 0 })

      const notices = await noticesTo(ola.email, 1)
      expect(notices).toEqual([
        expect.objectContaining({
          template: "dintero-subscription-card-expiring",
          idempotency_key: `dintero-subscription:card_expiring:${expiring.id}:${ola.cardId}`,
          data: expect.objectContaining({
            subscription_id: expiring.id,
            next_charge_at: firstAfterExpiry,
            amount: 29900,
            card: expect.objectContaining({ expiry_date: `${expiry.slice(0, 3)}20${expiry.slice(3)}` }),
            card_update_url: CARD_UPDATE_URL,
          }),
        }),
      ])
      expect(await noticesTo(kari.email, 0)).toHaveLength(0)
      expectNoSecrets(notices[0])
    })
  },
})

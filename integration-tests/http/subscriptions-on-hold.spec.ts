import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { CALLBACK_PATH, signedCallback } from "../helpers/dintero-callbacks"
import { CARDS, subscriptionFixtures } from "../helpers/subscriptions-fixtures"

jest.setTimeout(180_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
// Signed callbacks, as Dintero sends them once a secret is created.
const dintero = useDinteroEmulator({ callbackSecret: CALLBACK_SECRET })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)
    const send = (path: string, headers: Record<string, string> = {}) =>
      api.request({ method: "GET", url: path, headers, validateStatus: () => true })

    /** A subscription whose first renewal Dintero holds for review (ON_HOLD); Dintero's callbacks held back. */
    async function heldRenewal(email: string) {
      const who = await fx.customerWithCard(email, CARDS.approved)
      const start = "2027-09-01T08:00:00.000Z"
      const subscription = await fx.adminSubscription(who, { starts_at: start })
      const [token] = dintero.emulator.tokens()
      dintero.emulator.setTokenOutcomes(token.id, ["on_hold"])
      dintero.emulator.holdCallbacks(true)

      expect(await fx.renew(start)).toMatchObject({ unknown: 1, renewed: 0 })
      const [charge] = fx.chargesFor(subscription.id)
      expect(charge).toMatchObject({ status: "ON_HOLD" })
      const current = await fx.getSubscription(subscription.id)
      expect(current.charges).toEqual([expect.objectContaining({ status: "unknown", attempt: 1 })])
      // Dintero's callback as it would come: the charge's transaction, its Dintero session and reference.
      const query = {
        transaction_id: charge.transactionId,
        session_id: charge.sessionId,
        merchant_reference: charge.merchantReference,
        time: new Date().toISOString(),
      }
      return { who, start, subscription, charge, query }
    }

    it("a renewal Dintero held is renewed by Dintero's callback when it authorizes the charge, without waiting for the job", async () => {
      const { start, subscription, charge } = await heldRenewal("ola@example.com")
      dintero.emulator.resolveOnHold(charge.transactionId, "AUTHORIZED")
      dintero.emulator.holdCallbacks(false)
      const delivered = await dintero.emulator.waitForCallbacks(
        (d) => d.transactionId === charge.transactionId && d.outcome !== "retrying",
        20_000,
        2
      )
      expect(delivered.map((d) => d.status)).toEqual([200, 200])

      const renewed = await fx.getSubscription(subscription.id)
      expect(renewed).toMatchObject({ status: "active", current_period_start: start, next_charge_at: "2027-10-01T08:00:00.000Z" })
      expect(renewed.charges).toEqual([expect.objectContaining({ status: "succeeded", attempt: 1, transaction_id: charge.transactionId })])
      expect(renewed.orders).toHaveLength(1)
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
    })

    it("a renewal Dintero held is renewed once when its callback says AUTHORIZED, with five deliveries and the job at the same moment", async () => {
      const { start, subscription, charge, query } = await heldRenewal("kari@example.com")

      // While Dintero still holds it, the job charges nothing new.
      expect(await fx.renew(start)).toMatchObject({ unknown: 1, renewed: 0 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)

      dintero.emulator.resolveOnHold(charge.transactionId, "AUTHORIZED")
      // A callback that is not Dintero's is refused before anything is read or settled.
      const forged = await send(`${CALLBACK_PATH}?${new URLSearchParams(query)}`, { "dintero-signature": "t=1,v0-hmac-sha256=00" })
      expect(forged.status).toBe(401)
      expect((await fx.getSubscription(subscription.id)).charges).toEqual([expect.objectContaining({ status: "unknown" })])

      const callback = signedCallback(dintero.backendUrl, query)
      const [responses, run] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => send(callback.path, callback.headers))),
        fx.renew(start),
      ])
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
      expect(run.errors).toBe(0)
      // Dintero's own (held) callback arrives too, later.
      dintero.emulator.holdCallbacks(false)
      const [late] = await dintero.emulator.waitForCallbacks((d) => d.transactionId === charge.transactionId && d.outcome !== "retrying", 20_000)
      expect(late).toMatchObject({ status: 200 })

      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
      const renewed = await fx.getSubscription(subscription.id)
      expect(renewed).toMatchObject({ status: "active", current_period_start: start, current_period_end: "2027-10-01T08:00:00.000Z" })
      expect(renewed.charges).toEqual([expect.objectContaining({ status: "succeeded", attempt: 1, transaction_id: charge.transactionId })])
      expect(renewed.orders).toHaveLength(1)
      const { data } = await fx.ctx.admin.get<any>(`/admin/orders/${renewed.charges[0].order_id}?fields=id,total,payment_status,*payment_collections.payments`)
      expect(data.order.payment_status).toBe("captured")
      expect(data.order.payment_collections[0].payments).toHaveLength(1)
      // The next period is not charged early by any of those deliveries.
      expect(await fx.renew(start)).toMatchObject({ subscriptions: 0 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
    })

    it("a held renewal Dintero then declines is recorded as that decline from the callback, and dunning takes over without a new charge", async () => {
      const { start, subscription, charge } = await heldRenewal("nora@example.com")
      const events = fx.recordEvents()

      dintero.emulator.resolveOnHold(charge.transactionId, "FAILED")
      dintero.emulator.holdCallbacks(false)
      const delivered = await dintero.emulator.waitForCallbacks(
        (d) => d.transactionId === charge.transactionId && d.outcome !== "retrying",
        20_000,
        2
      )
      expect(delivered.map((d) => d.status)).toEqual([200, 200])

      const current = await fx.getSubscription(subscription.id)
      expect(current.charges).toEqual([
        expect.objectContaining({ status: "failed", attempt: 1, transaction_id: charge.transactionId, retry_codes: ["DO_NOT_RETRY"] }),
      ])
      // Dintero's review said do not retry: past_due at once, no automatic retries.
      expect(current).toMatchObject({ status: "past_due", next_charge_at: null })
      expect(events.data("subscription.past_due")).toEqual([expect.objectContaining({ id: subscription.id, reason: "do_not_retry" })])
      expect(await fx.renew(start)).toMatchObject({ subscriptions: 0 })
      expect(fx.chargesFor(subscription.id)).toHaveLength(1)
      expect(current.orders).toHaveLength(0)
    })
  },
})

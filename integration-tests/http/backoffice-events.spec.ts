import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useSeededStore } from "../helpers/seeded-store"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { listOrders, placePaidOrder as placePaidOrderIn, startDinteroCheckout } from "../helpers/dintero-checkout"
import { computeCallbackSignature } from "../../src/lib/dintero/signature"
import { retrieveCart } from "../../scripts/lib/store-checkout"

jest.setTimeout(180_000)

// Signed callbacks, as in production.
const dintero = useDinteroEmulator()

/**
 * What a merchant does in Dintero's Backoffice (capture, part-capture, refund, void) reaches Medusa through
 * the report_event callbacks the plugin asks for: Medusa's payment shows it once, whatever order and number
 * of deliveries, and the plugin sends nothing to Dintero because of it.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const placePaidOrder = () => placePaidOrderIn(shop, dintero.emulator)
    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id)!
    const medusaPayment = async (id: string) =>
      (await shop.admin.get<any>(`/admin/payments/${id}?fields=id,amount,canceled_at,captured_at,*captures,*refunds`)).data.payment
    const amounts = (records: Array<{ amount: number }>) => records.map((record) => record.amount).sort((a, b) => a - b)
    /** Captures, refunds and voids the plugin sent to Dintero (Backoffice operations are not API calls). */
    const operationsSent = () =>
      dintero.emulator
        .requests()
        .filter((r: any) => r.method === "POST" && /\/transactions\/[^/]+\/(capture|refund|void)$/.test(r.path))
        .map((r: any) => r.path.split("/").pop())
    /** Waits until Dintero's callbacks for `count` transaction events of the transaction were answered 200. */
    const eventsDelivered = (transactionId: string, count: number) =>
      dintero.emulator.waitForCallbacks(
        (a: any) => a.transactionId === transactionId && a.event !== undefined && a.outcome === "delivered",
        20_000,
        count
      )
    const noneFailed = () =>
      expect(dintero.emulator.callbacks().filter((a: any) => a.outcome !== "delivered").map((a: any) => [a.event, a.status])).toEqual([])

    /**
     * A callback exactly as Dintero builds it from the session's callback URL (its own parameters, then the
     * event's), signed over that URL: for deliveries the test controls (concurrent, out of order).
     */
    function dinteroCallback(transactionId: string, event: string) {
      const tx = transaction(transactionId)
      const session = dintero.emulator.sessions().find((s: any) => s.id === tx.session_id) as any
      const query = new URL(session.url.callback_url).searchParams
      const eventId = [...tx.events].reverse().find((e: any) => e.event === event)!.id
      Object.entries({ transaction_id: transactionId, session_id: tx.session_id, merchant_reference: tx.merchant_reference, time: new Date().toISOString(), event, event_id: eventId }).forEach(
        ([name, value]) => query.set(name, value)
      )
      const url = new URL(`${dintero.backendUrl}/hooks/dintero/callback?${query}`)
      const timestamp = Math.floor(Date.now() / 1000)
      const hex = computeCallbackSignature({ secret: CALLBACK_SECRET, accountId: "T12345678", method: "GET", url, timestamp })
      return () =>
        api.get(`/hooks/dintero/callback?${query}`, {
          headers: { "dintero-signature": `t=${timestamp},v0-hmac-sha256=${hex}` },
          validateStatus: () => true,
        })
    }

    it("a full capture in Dintero's Backoffice is recorded on Medusa's payment once, as a capture of the whole amount, and nothing is sent", async () => {
      const { order, payment, transactionId } = await placePaidOrder()
      dintero.emulator.backoffice(transactionId, { operation: "capture" })
      await eventsDelivered(transactionId, 1)

      const after = await medusaPayment(payment.id)
      expect(after.captures).toEqual([expect.objectContaining({ amount: 808.75, created_by: "dintero-backoffice" })])
      expect(after.captured_at).toBeTruthy()
      const { data } = await shop.admin.get<any>(`/admin/orders/${order.id}?fields=id,payment_status`)
      expect(data.order.payment_status).toBe("captured")
      expect(operationsSent()).toEqual([])
      noneFailed()
    })

    it("part-captures and a refund in the Backoffice are recorded with their exact amounts, and nothing is sent", async () => {
      const { order, payment, transactionId } = await placePaidOrder()
      dintero.emulator.backoffice(transactionId, { operation: "capture", amount: 30001 })
      await eventsDelivered(transactionId, 1)
      dintero.emulator.backoffice(transactionId, { operation: "capture", amount: 12345 })
      await eventsDelivered(transactionId, 2)
      dintero.emulator.backoffice(transactionId, { operation: "refund", amount: 999 })
      await eventsDelivered(transactionId, 3)

      const after = await medusaPayment(payment.id)
      expect(amounts(after.captures)).toEqual([123.45, 300.01])
      expect(amounts(after.refunds)).toEqual([9.99])
      expect(after.refunds[0]).toMatchObject({ created_by: "dintero-backoffice", note: expect.stringContaining(transactionId) })
      expect(after.captured_at).toBeFalsy()
      const { data } = await shop.admin.get<any>(`/admin/orders/${order.id}?fields=id,*payment_collections`)
      expect(data.order.payment_collections[0]).toMatchObject({ captured_amount: 423.46, refunded_amount: 9.99 })
      expect(operationsSent()).toEqual([])
      noneFailed()
    })

    it("a void in the Backoffice cancels Medusa's payment, without a void sent by the plugin", async () => {
      const { payment, transactionId } = await placePaidOrder()
      dintero.emulator.backoffice(transactionId, { operation: "void" })
      await eventsDelivered(transactionId, 1)

      const after = await medusaPayment(payment.id)
      expect(after.canceled_at).toBeTruthy()
      expect(after.captures).toEqual([])
      expect(transaction(transactionId).status).toBe("AUTHORIZATION_VOIDED")
      expect(operationsSent()).toEqual([])
      noneFailed()
    })

    it("five deliveries of the same CAPTURE event at once, then Dintero's own, record the capture once and are each answered 200", async () => {
      const { payment, transactionId } = await placePaidOrder()
      dintero.emulator.holdCallbacks(true)
      dintero.emulator.backoffice(transactionId, { operation: "capture", amount: 40000 })
      const deliver = dinteroCallback(transactionId, "CAPTURE")

      const answers = await Promise.all(Array.from({ length: 5 }, () => deliver()))
      expect(amounts((await medusaPayment(payment.id)).captures)).toEqual([400])
      expect(operationsSent()).toEqual([])
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200])
      expect(answers.filter((answer) => answer.data.recorded?.captured > 0)).toHaveLength(1)

      dintero.emulator.holdCallbacks(false)
      await eventsDelivered(transactionId, 1)
      expect(amounts((await medusaPayment(payment.id)).captures)).toEqual([400])
      expect(operationsSent()).toEqual([])
      noneFailed()
    })

    it("a REFUND event delivered before its CAPTURE event records the capture, then the refund, once", async () => {
      const { payment, transactionId } = await placePaidOrder()
      dintero.emulator.holdCallbacks(true)
      dintero.emulator.backoffice(transactionId, { operation: "capture" })
      dintero.emulator.backoffice(transactionId, { operation: "refund", amount: 10000 })

      const refundFirst = await dinteroCallback(transactionId, "REFUND")()
      expect(refundFirst.status).toBe(200)
      const recorded = await medusaPayment(payment.id)
      expect(amounts(recorded.captures)).toEqual([808.75])
      expect(amounts(recorded.refunds)).toEqual([100])

      // Dintero's own deliveries, CAPTURE then REFUND, come after: nothing more to record.
      dintero.emulator.holdCallbacks(false)
      await eventsDelivered(transactionId, 2)
      const after = await medusaPayment(payment.id)
      expect(amounts(after.captures)).toEqual([808.75])
      expect(amounts(after.refunds)).toEqual([100])
      expect(operationsSent()).toEqual([])
      noneFailed()
    })

    it("events for a capture and a refund Medusa made itself change nothing in Medusa and send nothing more", async () => {
      const { payment, transactionId } = await placePaidOrder()
      // Dintero's answer to the capture is slow: its CAPTURE event reaches Medusa before the capture returns.
      dintero.emulator.injectFault({ kind: "timeout", phase: "after", delayMs: 2000, match: { method: "POST", path: "/capture" } })
      expect((await shop.admin.post<any>(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)
      const [captureEvent] = await eventsDelivered(transactionId, 1)
      const captureAnswered = dintero.emulator.requests().find((r: any) => r.path.endsWith("/capture"))!
      expect(Date.parse(captureEvent.at)).toBeLessThan(Date.parse(captureAnswered.at))
      expect((await shop.admin.post<any>(`/admin/payments/${payment.id}/refund`, { amount: 100 })).status).toBe(200)
      await eventsDelivered(transactionId, 2)
      // Delivered again, as Dintero may: still nothing.
      expect((await dinteroCallback(transactionId, "CAPTURE")()).status).toBe(200)

      const after = await medusaPayment(payment.id)
      expect(amounts(after.captures)).toEqual([300])
      expect(amounts(after.refunds)).toEqual([100])
      expect(after.captures[0].created_by).not.toBe("dintero-backoffice")
      expect(operationsSent()).toEqual(["capture", "refund"])

      noneFailed()
    })

    it("the event of a void Medusa made itself (order canceled before any capture) finds the payment canceled and sends nothing more", async () => {
      const { order, payment, transactionId } = await placePaidOrder()
      expect((await shop.admin.post<any>(`/admin/orders/${order.id}/cancel`, {})).status).toBe(200)
      await eventsDelivered(transactionId, 1)
      expect((await medusaPayment(payment.id)).canceled_at).toBeTruthy()
      expect(operationsSent()).toEqual(["void"])
      noneFailed()
    })

    it("a capture of Medusa's whose answer was lost is not recorded from its event: the admin's retry adopts it, once", async () => {
      const { payment, transactionId } = await placePaidOrder()
      dintero.emulator.injectFault({
        kind: "reset",
        phase: "after",
        match: { method: "POST", path: "/capture" },
        then: [{ kind: "status", status: 503, count: 8, match: { method: "GET", path: "/transactions/" } }],
      })
      expect((await shop.admin.post<any>(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBeGreaterThanOrEqual(400)
      await eventsDelivered(transactionId, 1)
      expect((await medusaPayment(payment.id)).captures).toEqual([])

      expect((await shop.admin.post<any>(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)
      expect(transaction(transactionId).events.filter((e: any) => e.event === "CAPTURE").map((e: any) => e.amount)).toEqual([30000])
      expect(amounts((await medusaPayment(payment.id)).captures)).toEqual([300])
    })

    it("report_error callbacks (payer cancelled, card declined) are answered 200 and record nothing", async () => {
      const { cart, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      await dintero.emulator.pay(dinteroSessionId, { cancel: true })
      const [cancelled] = await dintero.emulator.waitForCallbacks((a: any) => a.callbackError === "cancelled" && a.outcome !== "retrying", 20_000)
      expect(cancelled).toMatchObject({ status: 200, outcome: "delivered" })
      expect(cancelled.query.transaction_id).toBeUndefined()

      const declined = await startDinteroCheckout(shop.store, shop.seeded)
      await dintero.emulator.pay(declined.dinteroSessionId, { card: "4000000000000002" })
      const [authorization] = await dintero.emulator.waitForCallbacks((a: any) => a.callbackError === "authorization" && a.outcome !== "retrying", 20_000)
      expect(authorization).toMatchObject({ status: 200, outcome: "delivered" })

      expect(await listOrders(shop.admin)).toHaveLength(0)
      expect((await retrieveCart(shop.store, cart.id)).completed_at ?? null).toBeNull()
      expect(operationsSent()).toEqual([])
    })
  },
})

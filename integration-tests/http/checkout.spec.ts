import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useSeededStore } from "../helpers/seeded-store"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, listOrders, startDinteroCheckout } from "../helpers/dintero-checkout"
import { completeCart, completeCartOnReturn, retrieveCart } from "../../scripts/lib/store-checkout"
import { computeCallbackSignature } from "../../src/lib/dintero/signature"

jest.setTimeout(120_000)

const dintero = useDinteroEmulator({ callbackSecret: CALLBACK_SECRET })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    async function callbackDelivered(transactionId: string) {
      const [delivery] = await dintero.emulator.waitForCallbacks(
        (d) => d.url.includes(`transaction_id=${encodeURIComponent(transactionId)}`) && d.status === 200,
        20_000
      )
      return delivery
    }

    it("creates a Dintero session with order lines and VAT that add up, and hands the storefront only public ids", async () => {
      const { paymentSession, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)

      expect(paymentSession.provider_id).toBe(DINTERO_PROVIDER_ID)
      expect(paymentSession.data.dintero).toEqual({
        session_id: expect.stringMatching(/^T12345678\./),
        checkout_url: `${dintero.emulator.url}/v1/view/${dinteroSessionId}`,
        medusa_session_id: paymentSession.id,
        amount: 80875,
        currency: "NOK",
      })

      const session = dintero.emulator.sessions().find((s: any) => s.id === dinteroSessionId) as any
      // (2 × 299 + 49) NOK + 25 % VAT = 808.75 NOK, in øre.
      expect(session.order.amount).toBe(80875)
      expect(session.order.merchant_reference).toBe(paymentSession.id)
      const lines = session.order.items
      expect(lines.reduce((sum: number, line: any) => sum + line.amount, 0)).toBe(80875)
      expect(lines).toEqual([
        expect.objectContaining({ quantity: 2, amount: 74750, vat_amount: 14950, vat: 25 }),
        expect.objectContaining({ type: "shipping", amount: 6125, vat_amount: 1225, vat: 25 }),
      ])
      expect(session.url.callback_url).toBe(
        `${dintero.backendUrl}/hooks/dintero/callback?report_event=CAPTURE&report_event=REFUND&report_event=VOID&report_error=true&delay_callback=10`
      )

      const sent = dintero.emulator.requests().find((r: any) => r.path === "/v1/sessions-profile")!
      // Dintero recommends ext_-prefixed metadata keys (payments spec, Metadata); unprefixed ones may collide.
      expect((sent.body as any).metadata).toEqual({ ext_medusa_payment_session_id: paymentSession.id })
      expect(sent.headers["dintero-system-plugin-name"]).toBe("medusa-payment-dintero")
      expect(sent.headers["dintero-feature-toggles"]).toContain("strict-session-amounts")
    })

    it("a guest who pays and returns gets exactly one order with an authorized payment, even though the callback also arrived", async () => {
      const { cart, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
      expect(paid.transactionId).toBeDefined()

      // The storefront completes the cart on return while Dintero's callback races it.
      const completed = await completeCartOnReturn(shop.store, cart.id)
      expect(completed.status).toBe(200)
      expect(completed.data.type).toBe("order")
      await callbackDelivered(paid.transactionId!)

      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].id).toBe(completed.data.order.id)
      const payment = orders[0].payment_collections[0].payments[0]
      expect(payment.provider_id).toBe(DINTERO_PROVIDER_ID)
      expect(payment.data.dintero.transaction_id).toBe(paid.transactionId)
      expect(orders[0].payment_collections[0].status).toBe("authorized")
    })

    it("the callback alone creates the order when the customer never comes back", async () => {
      const { cart, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "5555555555554444" })
      await callbackDelivered(paid.transactionId!)

      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].status).toBe("authorized")

      // The customer's late return finds the order already placed instead of a second one.
      const completed = await completeCart(shop.store, cart.id)
      expect(completed.status).toBe(200)
      expect(completed.data.order?.id).toBe(orders[0].id)
      expect(await listOrders(shop.admin)).toHaveLength(1)
    })

    it("a replayed callback changes nothing", async () => {
      const { dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
      const delivery = await callbackDelivered(paid.transactionId!)

      const replay = await api.get(delivery.url.replace(dintero.backendUrl, ""), {
        headers: delivery.headers,
        validateStatus: () => true,
      })
      expect(replay.status).toBe(200)
      expect(await listOrders(shop.admin)).toHaveLength(1)
    })

    it("a declined card leaves the cart uncompleted with an error the storefront can show", async () => {
      const { cart, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      const declined = await dintero.emulator.pay(dinteroSessionId, { card: "4000000000000002" })
      expect(declined.transactionId).toBeUndefined()

      const completed = await completeCart(shop.store, cart.id)
      expect(completed.status).toBe(200)
      expect(completed.data.type).toBe("cart")
      expect(completed.data.error.message).toMatch(/declined/i)
      expect((await retrieveCart(shop.store, cart.id)).completed_at).toBeFalsy()
      expect(await listOrders(shop.admin)).toHaveLength(0)

      // The same Dintero session stays payable: a second card succeeds.
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
      await callbackDelivered(paid.transactionId!)
      expect(await listOrders(shop.admin)).toHaveLength(1)
    })

    it("a payment Dintero puts on hold places the order now and records the payment when Dintero approves it", async () => {
      const { cart, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      const held = await dintero.emulator.pay(dinteroSessionId, { card: "4000000000000341" })
      expect(held.status).toBe("ON_HOLD")

      const completed = await completeCartOnReturn(shop.store, cart.id)
      expect(completed.data.type).toBe("order")
      const [placed] = await listOrders(shop.admin)
      expect(placed.payment_collections[0].payments ?? []).toHaveLength(0)

      dintero.emulator.resolveOnHold(held.transactionId!, "AUTHORIZED")
      await dintero.emulator.waitForCallbacks(
        (d) => d.transactionId === held.transactionId && d.outcome === "delivered",
        20_000,
        2
      )
      const [after] = await listOrders(shop.admin)
      expect(after.payment_collections[0].payments).toHaveLength(1)
      expect(after.payment_collections[0].status).toBe("authorized")
    })

    it("forged, unsigned or stale callbacks are refused and change nothing", async () => {
      const { dinteroSessionId, paymentSession } = await startDinteroCheckout(shop.store, shop.seeded)
      // Dintero's own callback is held back, so only the hand-made callbacks below reach the store.
      dintero.emulator.holdCallbacks(true)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
      const query = new URLSearchParams({
        transaction_id: paid.transactionId!,
        session_id: dinteroSessionId,
        merchant_reference: paymentSession.id,
        time: new Date().toISOString(),
      })
      const url = new URL(`${dintero.backendUrl}/hooks/dintero/callback?${query}`)
      const sign = (secret: string, timestamp: number) =>
        `t=${timestamp},v0-hmac-sha256=${computeCallbackSignature({ secret, accountId: "T12345678", method: "GET", url, timestamp })}`
      const now = Math.floor(Date.now() / 1000)
      const path = `/hooks/dintero/callback?${query}`

      const unsigned = await api.get(path, { validateStatus: () => true })
      const forged = await api.get(path, { headers: { "dintero-signature": sign("not-the-secret", now) }, validateStatus: () => true })
      const stale = await api.get(path, { headers: { "dintero-signature": sign(CALLBACK_SECRET, now - 3600) }, validateStatus: () => true })
      for (const response of [unsigned, forged, stale]) {
        expect(response.status).toBe(401)
        expect(JSON.stringify(response.data)).not.toContain(CALLBACK_SECRET)
      }
      expect(await listOrders(shop.admin)).toHaveLength(0)

      // The genuine article is accepted.
      const genuine = await api.get(path, { headers: { "dintero-signature": sign(CALLBACK_SECRET, now) }, validateStatus: () => true })
      expect(genuine.status).toBe(200)
      expect(await listOrders(shop.admin)).toHaveLength(1)
    })

    it("a callback that cannot reach Dintero is answered 5xx, and Dintero's retry creates the order", async () => {
      const { dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      // Dintero's API is down for a while: every read of the transaction fails, retries included.
      dintero.emulator.injectFault({ kind: "status", status: 503, count: 8, match: { method: "GET", path: "/transactions/" } })
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })

      const delivered = await callbackDelivered(paid.transactionId!)
      expect(delivered.attempt).toBeGreaterThan(1)
      const attempts = dintero.emulator.callbacks().filter((c: any) => c.transactionId === paid.transactionId)
      expect(attempts.some((c: any) => c.status >= 500)).toBe(true)
      expect(await listOrders(shop.admin)).toHaveLength(1)
    })

    it("with a callback secret set, a callback on Medusa's own webhook route, which carries no signed URL, places no order and moves no money", async () => {
      const { dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      dintero.emulator.holdCallbacks(true)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
      const transaction = dintero.emulator.transactions().find((t: any) => t.id === paid.transactionId)
      const logger = getContainer().resolve("logger") as unknown as Record<string, (...args: unknown[]) => void>
      const warn = jest.spyOn(logger, "warn")
      const refused = () => warn.mock.calls.some(([message]) => /refused an unsigned callback/.test(String(message)))
      const requestsBefore = dintero.emulator.requests().length

      try {
        // Medusa answers this route itself and hands the body to the provider after its webhook_delay (5 s).
        const response = await api.post("/hooks/payment/dintero_dintero", transaction, { validateStatus: () => true })
        expect(response.status).toBe(200)
        const deadline = Date.now() + 12_000
        while (!refused() && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 250))
        }
        expect(await listOrders(shop.admin)).toHaveLength(0)
        expect(dintero.emulator.requests().slice(requestsBefore)).toEqual([])
        expect(refused()).toBe(true)
      } finally {
        warn.mockRestore()
      }
      expect(dintero.emulator.transactions().find((t: any) => t.id === paid.transactionId)!.status).toBe("AUTHORIZED")
    })

    it("a callback naming a transaction Dintero does not know is refused without retries", async () => {
      const query = new URLSearchParams({ transaction_id: "T12345678.doesnotexist", merchant_reference: "payses_x" })
      const url = new URL(`${dintero.backendUrl}/hooks/dintero/callback?${query}`)
      const t = Math.floor(Date.now() / 1000)
      const signature = `t=${t},v0-hmac-sha256=${computeCallbackSignature({ secret: CALLBACK_SECRET, accountId: "T12345678", method: "GET", url, timestamp: t })}`
      const response = await api.get(`/hooks/dintero/callback?${query}`, {
        headers: { "dintero-signature": signature },
        validateStatus: () => true,
      })
      expect(response.status).toBe(404)
    })
  },
})

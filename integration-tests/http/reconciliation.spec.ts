import "../helpers/env"
import { randomUUID } from "node:crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, listOrders, startDinteroCheckout } from "../helpers/dintero-checkout"
import { callbackQuery, signedCallback } from "../helpers/dintero-callbacks"
import { completeCartOnReturn, initiatePaymentSession, prepareCart } from "../../scripts/lib/store-checkout"
import { reconcileDinteroPayments } from "../../src/workflows/reconcile-dintero-payments"

jest.setTimeout(180_000)

// Sessions are read back as soon as they exist (the default waits 30 minutes for Dintero's callback); orphans
// are voided an hour after Dintero authorized them; the scheduled job stays off so that only the tests run it.
process.env.DINTERO_RECONCILIATION_PENDING_MINUTES = "0"
process.env.DINTERO_RECONCILIATION_VOID_AFTER_MINUTES = "60"
process.env.DINTERO_RECONCILIATION_JOB = "off"
const dintero = useDinteroEmulator()

const minutesAfter = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * 60_000).toISOString()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id) as any
    const runNow = () => shop.admin.post<any>("/admin/dintero/reconciliation", {})
    const findings = async (kind?: string) => {
      const { status, data } = await shop.admin.get<any>(`/admin/dintero/reconciliation${kind ? `?kind=${kind}` : ""}`)
      expect(status).toBe(200)
      return data.findings as any[]
    }
    const voids = (transactionId: string) => transaction(transactionId).events.filter((e: any) => e.event === "VOID")

    /** A guest pays on Dintero's page, then closes the tab; Dintero's callbacks never reach Medusa. */
    async function paidWithoutCallback(card = "4111111111111111") {
      dintero.emulator.holdCallbacks(true)
      const checkout = await startDinteroCheckout(shop.store, shop.seeded)
      const paid = await dintero.emulator.pay(checkout.dinteroSessionId, { card })
      expect(paid.status).toBe("AUTHORIZED")
      return { ...checkout, transactionId: paid.transactionId! }
    }

    /**
     * A cart completed with another payment method while a Dintero session of the same cart, left over from an
     * earlier attempt whose clean-up failed, is paid later by the shopper: authorized at Dintero, no order for it.
     */
    async function orphanAuthorization() {
      const { cart, paymentCollection } = await prepareCart(shop.store, { regionId: shop.seeded.regionId, variantId: shop.seeded.variantId })
      await initiatePaymentSession(shop.store, paymentCollection.id, "pp_system_default")
      const placed = await completeCartOnReturn(shop.store, cart.id)
      expect(placed.data.type).toBe("order")
      const paymentModule = getContainer().resolve(Modules.PAYMENT)
      const leftover = await paymentModule.createPaymentSession(paymentCollection.id, {
        provider_id: DINTERO_PROVIDER_ID,
        currency_code: "nok",
        amount: paymentCollection.amount,
        data: {},
      })
      dintero.emulator.holdCallbacks(true)
      const dinteroSessionId = (leftover.data.dintero as { session_id: string }).session_id
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
      expect(paid.status).toBe("AUTHORIZED")
      return { order: placed.data.order, leftover, dinteroSessionId, transactionId: paid.transactionId! }
    }

    it("a payment whose callback never arrived is completed into its order by running the reconciliation, once", async () => {
      const { cart, transactionId } = await paidWithoutCallback()
      expect(await listOrders(shop.admin)).toHaveLength(0)

      const first = await runNow()
      expect(first.status).toBe(200)
      expect(first.data.run).toMatchObject({ completed: 1, orphans: 0, voided: 0, errors: 0 })
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments[0].data.dintero.transaction_id).toBe(transactionId)
      expect(orders[0].payment_collections[0].status).toBe("authorized")
      expect(await findings("completed")).toEqual([
        expect.objectContaining({ transaction_id: transactionId, cart_id: cart.id, order_id: orders[0].id, kind: "completed" }),
      ])

      // Idempotent: a second run finds nothing to do, and the late callback places no second order.
      expect((await runNow()).data.run).toMatchObject({ completed: 0, errors: 0 })
      dintero.emulator.holdCallbacks(false)
      const [late] = await dintero.emulator.waitForCallbacks((d) => d.transactionId === transactionId && d.outcome !== "retrying", 20_000)
      expect(late.status).toBe(200)
      expect(await listOrders(shop.admin)).toHaveLength(1)
      expect(voids(transactionId)).toEqual([])
    })

    it("a held payment (ON_HOLD) whose order was placed and whose approving callback never arrived gets its payment from the reconciliation", async () => {
      dintero.emulator.holdCallbacks(true)
      const { cart, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4000000000000341" })
      expect(paid.status).toBe("ON_HOLD")
      expect((await completeCartOnReturn(shop.store, cart.id)).data.type).toBe("order")
      expect((await listOrders(shop.admin))[0].payment_collections[0].payments).toHaveLength(0)

      // Still held: nothing to do.
      expect((await runNow()).data.run).toMatchObject({ completed: 0, errors: 0 })
      dintero.emulator.resolveOnHold(paid.transactionId!, "AUTHORIZED")
      expect((await runNow()).data.run).toMatchObject({ completed: 1, errors: 0 })
      const [order] = await listOrders(shop.admin)
      expect(order.payment_collections[0].payments).toHaveLength(1)
      expect(order.payment_collections[0].payments[0].data.dintero.transaction_id).toBe(paid.transactionId)
      expect(order.payment_collections[0].status).toBe("authorized")
      expect(await listOrders(shop.admin)).toHaveLength(1)
    })

    it("two reconciliation runs at the same moment: one runs, the other is refused, and the payment becomes one order", async () => {
      const { transactionId } = await paidWithoutCallback()
      dintero.emulator.setLatency(300)
      const runs = await Promise.all([runNow(), runNow()])
      dintero.emulator.setLatency(0)

      expect(runs.map((r) => r.status).sort()).toEqual([200, 409])
      expect(runs.find((r) => r.status === 409)!.data.message).toMatch(/in progress/)
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments).toHaveLength(1)
      expect(voids(transactionId)).toEqual([])
    })

    it("a reconciliation racing Dintero's late callback for the same payment makes one order with one payment", async () => {
      const { transactionId, dinteroSessionId, paymentSession } = await paidWithoutCallback()
      const callback = signedCallback(dintero.backendUrl, callbackQuery(transactionId, dinteroSessionId, paymentSession.id))
      const [run, delivered] = await Promise.all([
        runNow(),
        api.request({ method: "GET", url: callback.path, headers: callback.headers, validateStatus: () => true }),
      ])
      expect(run.status).toBe(200)
      expect(run.data.run.errors).toBe(0)
      expect(delivered.status).toBe(200)
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments[0].canceled_at).toBeFalsy()
      expect(voids(transactionId)).toEqual([])
    })

    it("an authorization with no order is reported, left alone until the configured time, then voided", async () => {
      const { order, transactionId } = await orphanAuthorization()
      const authorizedAt = transaction(transactionId).events.find((e: any) => e.event === "AUTHORIZE").created_at
      const run = (now: string) => reconcileDinteroPayments(getContainer(), { trigger: "job", now })

      expect((await runNow()).data.run).toMatchObject({ orphans: 1, voided: 0, completed: 0 })
      const [reported] = await findings("orphan")
      expect(reported).toMatchObject({ transaction_id: transactionId, kind: "orphan", transaction_status: "AUTHORIZED", void_after: minutesAfter(authorizedAt, 60) })
      expect(reported.reason).toMatch(/another payment/)
      expect(await run(minutesAfter(authorizedAt, 59))).toMatchObject({ orphans: 1, voided: 0 })
      expect(transaction(transactionId).status).toBe("AUTHORIZED")
      expect(voids(transactionId)).toEqual([])

      expect(await run(minutesAfter(authorizedAt, 61))).toMatchObject({ voided: 1 })
      expect(transaction(transactionId).status).toBe("AUTHORIZATION_VOIDED")
      expect(await findings("voided")).toEqual([expect.objectContaining({ transaction_id: transactionId, voided_at: expect.any(String) })])
      expect(await findings("orphan")).toEqual([])
      // Voided once: later runs see a voided transaction and do nothing; the other order is untouched.
      expect(await run(minutesAfter(authorizedAt, 120))).toMatchObject({ voided: 0, orphans: 0, errors: 0 })
      expect(voids(transactionId)).toHaveLength(1)
      const orders = await listOrders(shop.admin)
      expect(orders.map((o: any) => o.id)).toEqual([order.id])
    })

    it("a transaction Medusa records as a live payment while the reconciliation is about to void it is never voided", async () => {
      const { leftover, transactionId } = await orphanAuthorization()
      const authorizedAt = transaction(transactionId).events.find((e: any) => e.event === "AUTHORIZE").created_at
      // A callback is handling this transaction: it holds the per-transaction lock, as the callback route does.
      const locking = getContainer().resolve(Modules.LOCKING)
      const ownerId = randomUUID()
      await locking.acquire(`dintero-callback:${transactionId}`, { ownerId, expire: 60 })
      const running = reconcileDinteroPayments(getContainer(), { trigger: "job", now: minutesAfter(authorizedAt, 61) })
      await new Promise((resolve) => setTimeout(resolve, 1500))
      // ...and records the payment in Medusa before it lets go.
      const payment = await getContainer().resolve(Modules.PAYMENT).authorizePaymentSession(leftover.id, {})
      expect(payment).toBeTruthy()
      await locking.release(`dintero-callback:${transactionId}`, { ownerId })

      expect(await running).toMatchObject({ voided: 0, errors: 0 })
      expect(transaction(transactionId).status).toBe("AUTHORIZED")
      expect(voids(transactionId)).toEqual([])
      expect(await findings("voided")).toEqual([])
    })

    it("a pending session the shopper never paid is read once and left alone; a younger one than the threshold is not even read", async () => {
      const { paymentSession, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      const before = dintero.emulator.requests().length

      const young = await reconcileDinteroPayments(getContainer(), { trigger: "job", options: { pendingForMinutes: 30 } })
      expect(young).toMatchObject({ ran: true, sessions: 0 })
      expect(dintero.emulator.requests().slice(before)).toEqual([])

      expect((await runNow()).data.run).toMatchObject({ sessions: 1, completed: 0, orphans: 0, voided: 0, errors: 0 })
      // Read back, and nothing else: no cancel, no void, no write of any kind.
      const reads = dintero.emulator.requests().slice(before).filter((r: any) => !r.path.includes("/auth/"))
      expect(reads.length).toBeGreaterThanOrEqual(1)
      expect(new Set(reads.map((r: any) => `${r.method} ${r.path} ${r.query.session_id}`))).toEqual(new Set([`GET /v1/transactions ${dinteroSessionId}`]))
      const [session] = await getContainer().resolve(Modules.PAYMENT).listPaymentSessions({ id: paymentSession.id })
      expect(session.status).toBe("pending")
      expect(dintero.emulator.sessions().find((s: any) => s.id === dinteroSessionId)).not.toHaveProperty("cancelled_at", expect.anything())
      expect(await findings()).toEqual([])
    })

    it("the admin route refuses parameters it does not take, with a message, and runs nothing", async () => {
      const refused = await shop.admin.post<any>("/admin/dintero/reconciliation", { now: "2030-01-01T00:00:00Z" })
      expect(refused.status).toBe(400)
      expect(JSON.stringify(refused.data)).toMatch(/now/)
      const badKind = await shop.admin.get<any>("/admin/dintero/reconciliation?kind=everything")
      expect(badKind.status).toBe(400)
      expect((await shop.admin.get<any>("/admin/dintero/reconciliation")).data.runs).toEqual([])
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { useSeededStore } from "../helpers/seeded-store"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, listOrders, startDinteroCheckout } from "../helpers/dintero-checkout"
import { CALLBACK_PATH, callbackQuery, signedCallback } from "../helpers/dintero-callbacks"
import { completeCartOnReturn } from "../../scripts/lib/store-checkout"

jest.setTimeout(120_000)

// Dintero's callbacks are signed: every test here runs with the merchant's callback secret set.
const dintero = useDinteroEmulator({ callbackSecret: CALLBACK_SECRET })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id) as any
    const send = (method: "GET" | "POST", path: string, headers: Record<string, string> = {}, body?: unknown) =>
      api.request({ method, url: path, data: body, headers, validateStatus: () => true })

    /** A guest checkout paid with `card`, Dintero's own callbacks held back so that only the test delivers them. */
    async function paidCheckout(card: string) {
      dintero.emulator.holdCallbacks(true)
      const checkout = await startDinteroCheckout(shop.store, shop.seeded)
      const paid = await dintero.emulator.pay(checkout.dinteroSessionId, { card })
      const query = callbackQuery(paid.transactionId!, checkout.dinteroSessionId, checkout.paymentSession.id)
      return { ...checkout, paid, transactionId: paid.transactionId!, query }
    }

    it("duplicate deliveries of the callback approving a held payment record it once and never void Dintero's authorization", async () => {
      const { cart, paid, transactionId, query } = await paidCheckout("4000000000000341")
      expect(paid.status).toBe("ON_HOLD")
      const placed = await completeCartOnReturn(shop.store, cart.id)
      expect(placed.data.type).toBe("order")

      dintero.emulator.resolveOnHold(transactionId, "AUTHORIZED")
      // Dintero retries and may deliver the same callback several times at once.
      const callback = signedCallback(dintero.backendUrl, query)
      const responses = await Promise.all(Array.from({ length: 5 }, () => send("GET", callback.path, callback.headers)))

      expect(transaction(transactionId).events.filter((e: any) => e.event === "VOID")).toEqual([])
      expect(transaction(transactionId).status).toBe("AUTHORIZED")
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      const [collection] = orders[0].payment_collections
      expect(collection.payments).toHaveLength(1)
      expect(collection.payments[0].canceled_at).toBeFalsy()
      expect(collection.payments[0].data.dintero.transaction_id).toBe(transactionId)
      expect(collection.status).toBe("authorized")
    })

    it("duplicate callbacks for a payment without a cart (an order's additional payment) record it once and are each answered 200", async () => {
      // A payment collection of its own, as an order edit or claim creates: Medusa takes no cart lock for it.
      const paymentModule = getContainer().resolve(Modules.PAYMENT)
      const collection = await paymentModule.createPaymentCollections({ currency_code: "nok", amount: 250 })
      const session = await paymentModule.createPaymentSession(collection.id, {
        provider_id: DINTERO_PROVIDER_ID,
        currency_code: "nok",
        amount: 250,
        data: {},
      })
      dintero.emulator.holdCallbacks(true)
      const dinteroSessionId = (session.data.dintero as { session_id: string }).session_id
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })

      const callback = signedCallback(dintero.backendUrl, callbackQuery(paid.transactionId!, dinteroSessionId, session.id))
      const responses = await Promise.all(Array.from({ length: 5 }, () => send("GET", callback.path, callback.headers)))

      expect(transaction(paid.transactionId!).events.filter((e: any) => e.event === "VOID")).toEqual([])
      expect(transaction(paid.transactionId!).status).toBe("AUTHORIZED")
      const payments = await paymentModule.listPayments({ payment_session_id: session.id })
      expect(payments).toHaveLength(1)
      expect(payments[0].canceled_at).toBeFalsy()
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    })

    it("an authorization Medusa recorded is never voided by a concurrent authorization of the same session that lost the race", async () => {
      const { cart, paid, transactionId, paymentSession } = await paidCheckout("4000000000000341")
      expect(paid.status).toBe("ON_HOLD")
      expect((await completeCartOnReturn(shop.store, cart.id)).data.type).toBe("order")
      dintero.emulator.resolveOnHold(transactionId, "AUTHORIZED")

      // Any two paths that authorize the session at once (webhook, admin, a retried job) race inside Medusa's
      // payment module, which takes no lock: the loser fails to record its Payment and cancels with the provider.
      const paymentModule = getContainer().resolve(Modules.PAYMENT)
      const attempts = await Promise.allSettled(
        Array.from({ length: 5 }, () => paymentModule.authorizePaymentSession(paymentSession.id, {}))
      )
      expect(attempts.some((a) => a.status === "fulfilled")).toBe(true)

      expect(transaction(transactionId).events.filter((e: any) => e.event === "VOID")).toEqual([])
      expect(transaction(transactionId).status).toBe("AUTHORIZED")
      const [order] = await listOrders(shop.admin)
      expect(order.payment_collections[0].payments).toHaveLength(1)
      expect(order.payment_collections[0].payments[0].canceled_at).toBeFalsy()
    })

    it("a callback whose cart completion fails for a moment is answered 5xx, and Dintero's retry places the order", async () => {
      const { dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
      // The callback's own read of the transaction succeeds, and the cart completion authorizes the payment
      // with it (no second read of Dintero, which could fail); the authorization then fails for a moment
      // inside Medusa (a database hiccup), once.
      const payments = getContainer().resolve(Modules.PAYMENT)
      const hiccup = jest.spyOn(payments, "authorizePaymentSession").mockRejectedValueOnce(new Error("the database was unavailable for a moment"))
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })

      const [delivered] = await dintero.emulator.waitForCallbacks(
        (d: any) => d.transactionId === paid.transactionId && d.status === 200,
        20_000
      )
      const hiccups = hiccup.mock.calls.length
      hiccup.mockRestore()
      const attempts = dintero.emulator.callbacks().filter((c: any) => c.transactionId === paid.transactionId)
      expect(hiccups).toBeGreaterThanOrEqual(2)
      expect(attempts[0].status).toBeGreaterThanOrEqual(500)
      expect(delivered.attempt).toBeGreaterThan(1)
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].status).toBe("authorized")
      expect(transaction(paid.transactionId!).status).toBe("AUTHORIZED")
    })

    it("a callback without a valid signature is refused with 401 before Dintero is asked anything", async () => {
      const { transactionId, query } = await paidCheckout("4111111111111111")
      const genuine = signedCallback(dintero.backendUrl, query)
      const forAnotherUrl = signedCallback(dintero.backendUrl, query, {
        signedQuery: { ...query, transaction_id: "T12345678.another" },
      })
      const requestsBefore = dintero.emulator.requests().length

      const refused = [
        await send("GET", CALLBACK_PATH),
        await send("POST", CALLBACK_PATH, {}, transaction(transactionId)),
        await send("GET", genuine.path),
        await send("GET", genuine.path, forAnotherUrl.headers),
        await send("GET", CALLBACK_PATH, genuine.headers),
      ]
      expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401])
      for (const response of refused) {
        expect(JSON.stringify(response.data)).not.toContain(CALLBACK_SECRET)
      }
      expect(dintero.emulator.requests().slice(requestsBefore)).toEqual([])
      expect(await listOrders(shop.admin)).toHaveLength(0)
    })

    it("a POST callback is bound to its signed URL: a seen signature cannot carry another transaction's body", async () => {
      const first = await paidCheckout("4111111111111111")
      const second = await paidCheckout("5555555555554444")
      const signedForFirst = signedCallback(dintero.backendUrl, first.query, { method: "POST" })

      const replayed = await send("POST", signedForFirst.path, signedForFirst.headers, transaction(second.transactionId))
      expect(replayed.status).toBe(401)
      expect(await listOrders(shop.admin)).toHaveLength(0)

      // The same signed URL with its own transaction as the body is Dintero's genuine POST callback.
      const genuine = await send("POST", signedForFirst.path, signedForFirst.headers, transaction(first.transactionId))
      expect(genuine.status).toBe(200)
      const orders = await listOrders(shop.admin)
      expect(orders).toHaveLength(1)
      expect(orders[0].payment_collections[0].payments[0].data.dintero.transaction_id).toBe(first.transactionId)
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, listOrders, placePaidOrder as placePaidOrderIn, startDinteroCheckout } from "../helpers/dintero-checkout"
import { completeCart, completeCartOnReturn, initiatePaymentSessionRaw, retrieveCart } from "../../scripts/lib/store-checkout"

jest.setTimeout(120_000)

const dintero = useDinteroEmulator({ callbackSecret: null })

/**
 * Dintero applies the operation but the answer never arrives, and the reads that would find out fail too
 * (more failures than the client retries): the admin sees an error and Medusa forgets its record.
 */
const lostAnswerAndFailedReads = (operation: "capture" | "refund") => ({
  kind: "reset" as const,
  phase: "after" as const,
  match: { method: "POST", path: `/${operation}` },
  then: [{ kind: "status" as const, status: 503, count: 20, match: { method: "GET", path: "/transactions/" } }],
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const placePaidOrder = () => placePaidOrderIn(shop, dintero.emulator)

    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id)!
    const amountsOf = (id: string, event: string) =>
      transaction(id).events.filter((e: any) => e.event === event).map((e: any) => e.amount)
    const adminPost = (path: string, body: object = {}) => shop.admin.post<any>(path, body)
    const medusaPayment = async (id: string) =>
      (await shop.admin.get<any>(`/admin/payments/${id}?fields=id,amount,captured_at,*captures,*refunds`)).data.payment
    const sentTo = (suffix: string) =>
      dintero.emulator.requests().filter((r: any) => r.method === "POST" && r.path.endsWith(suffix))

    describe("an admin retry after an outage moves money once", () => {
      it("a capture whose answer and read-back are both lost is captured once when the admin retries", async () => {
        const { payment, transactionId } = await placePaidOrder()
        dintero.emulator.injectFault(lostAnswerAndFailedReads("capture"))

        const failed = await adminPost(`/admin/payments/${payment.id}/capture`)
        expect(failed.status).toBeGreaterThanOrEqual(400)
        expect((await medusaPayment(payment.id)).captures).toHaveLength(0)
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([80875])

        dintero.emulator.clearFaults()
        const retried = await adminPost(`/admin/payments/${payment.id}/capture`)
        expect(retried.status).toBe(200)
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([80875])
        expect(sentTo("/capture")).toHaveLength(1)
        const after = await medusaPayment(payment.id)
        expect(after.captures.map((c: any) => c.amount)).toEqual([808.75])
        expect(after.captured_at).toBeTruthy()
      })

      it("a partial capture retried after a lost answer and read-back captures that part once, and the rest follows", async () => {
        const { payment, transactionId } = await placePaidOrder()
        dintero.emulator.injectFault(lostAnswerAndFailedReads("capture"))
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBeGreaterThanOrEqual(400)
        dintero.emulator.clearFaults()

        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([30000])
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 508.75 })).status).toBe(200)
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([30000, 50875])
        expect(transaction(transactionId).status).toBe("CAPTURED")
        expect((await medusaPayment(payment.id)).captures.map((c: any) => c.amount).sort()).toEqual([300, 508.75])
      })

      it("a refund whose answer and read-back are both lost is refunded once when the admin retries", async () => {
        const { payment, transactionId } = await placePaidOrder()
        expect((await adminPost(`/admin/payments/${payment.id}/capture`)).status).toBe(200)
        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 100 })).status).toBe(200)
        dintero.emulator.injectFault(lostAnswerAndFailedReads("refund"))

        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 200 })).status).toBeGreaterThanOrEqual(400)
        expect((await medusaPayment(payment.id)).refunds.map((r: any) => r.amount)).toEqual([100])
        dintero.emulator.clearFaults()

        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 200 })).status).toBe(200)
        expect(amountsOf(transactionId, "REFUND")).toEqual([10000, 20000])
        expect((await medusaPayment(payment.id)).refunds.map((r: any) => r.amount).sort()).toEqual([100, 200])
        // What is left is refunded exactly: Medusa's and Dintero's totals agree.
        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 508.75 })).status).toBe(200)
        expect(amountsOf(transactionId, "REFUND")).toEqual([10000, 20000, 50875])
        expect(transaction(transactionId).status).toBe("REFUNDED")
      })

      it("a refund of 100.005 NOK (not a whole number of øre) is refused before Dintero is asked, and no refund is recorded", async () => {
        const { payment } = await placePaidOrder()
        expect((await adminPost(`/admin/payments/${payment.id}/capture`)).status).toBe(200)

        const refused = await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 100.005 })
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/100\.005.*NOK/)
        expect(sentTo("/refund")).toHaveLength(0)
        expect((await medusaPayment(payment.id)).refunds).toHaveLength(0)
      })
    })

    describe("the storefront cannot write the provider's data", () => {
      const forgeries: Array<[string, Record<string, unknown>]> = [
        ["dintero", { dintero: { transaction_id: "T12345678.forged" } }],
        ["transaction_id", { transaction_id: "T12345678.forged" }],
        ["save_card_to", { save_card_to: "acchld_someone_else" }],
        ["decline", { decline: { types: [], retry_codes: [] } }],
        ["merchant_initiated", { merchant_initiated: { card_id: "dcard_x", merchant_reference: "r" } }],
      ]

      it("a payment session whose storefront data names provider-owned keys is refused and changes nothing", async () => {
        const { cart, paymentCollection, paymentSession } = await startDinteroCheckout(shop.store, shop.seeded)
        const sessionsCreated = () => sentTo("/sessions-profile").length
        const before = sessionsCreated()

        for (const [key, data] of forgeries) {
          const refused = await initiatePaymentSessionRaw(shop.store, paymentCollection.id, DINTERO_PROVIDER_ID, data)
          expect({ key, status: refused.status }).toEqual({ key, status: 400 })
          expect(refused.data.message).toContain(key)
        }

        expect(sessionsCreated()).toBe(before)
        expect(sentTo("/cancel")).toHaveLength(0)
        const current = await retrieveCart(shop.store, cart.id)
        expect(current.payment_collection.payment_sessions.map((s: any) => s.id)).toEqual([paymentSession.id])
        expect(current.payment_collection.payment_sessions[0].data.dintero.transaction_id).toBeUndefined()
      })

      it("a cart can never be completed with another cart's paid transaction", async () => {
        const paidCart = await startDinteroCheckout(shop.store, shop.seeded)
        const paid = await dintero.emulator.pay(paidCart.dinteroSessionId, { card: "4111111111111111" })
        const unpaid = await startDinteroCheckout(shop.store, shop.seeded)

        const forged = await initiatePaymentSessionRaw(shop.store, unpaid.paymentCollection.id, DINTERO_PROVIDER_ID, {
          dintero: { transaction_id: paid.transactionId },
        })
        expect(forged.status).toBe(400)

        // Even with the transaction planted in the session's data (as a session stored before this guard could hold
        // it), Dintero's transaction belongs to another checkout session and is not this cart's payment.
        const paymentModule = getContainer().resolve(Modules.PAYMENT)
        const [session] = await paymentModule.listPaymentSessions({ id: unpaid.paymentSession.id })
        await paymentModule.updatePaymentSession({
          id: session.id,
          amount: session.amount,
          currency_code: session.currency_code,
          data: { ...session.data, dintero: { ...(session.data as any).dintero, transaction_id: paid.transactionId } },
        })
        const completed = await completeCart(shop.store, unpaid.cart.id)
        expect(completed.data.type).not.toBe("order")
        expect(transaction(paid.transactionId!).status).toBe("AUTHORIZED")

        // The cart that paid is completed with its own transaction (by the return or by Dintero's callback), and
        // it is the only order.
        expect((await completeCartOnReturn(shop.store, paidCart.cart.id)).data.type).toBe("order")
        const orders = await listOrders(shop.admin)
        expect(orders.map((o: any) => o.payment_collections[0].id)).toEqual([paidCart.paymentCollection.id])
      })
    })
  },
})

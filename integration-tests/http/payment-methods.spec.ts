import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, placePaidOrder as placePaidOrderIn } from "../helpers/dintero-checkout"

jest.setTimeout(120_000)

const dintero = useDinteroEmulator({ callbackSecret: null })

/**
 * Every Dintero payment method the checkout offers, paid on the emulator's page and handled from Medusa's
 * admin: capture (whole and in parts), refund, cancel. Dintero's rules differ per product (the emulator
 * enforces them): Walley and Instabank need the order lines on every capture and refund, Swish is captured
 * when paid and cannot be voided, so a cancel returns the money with a refund.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const placePaidOrder = (productType: any) => placePaidOrderIn(shop, dintero.emulator, { productType })
    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id)!
    const amountsOf = (id: string, event: string) =>
      transaction(id).events.filter((e: any) => e.event === event).map((e: any) => e.amount)
    const adminPost = (path: string, body: object = {}) => shop.admin.post<any>(path, body)
    const sent = (operation: string) =>
      dintero.emulator.requests().filter((r: any) => r.method === "POST" && r.path.endsWith(`/${operation}`))
    const medusaPayment = async (id: string) =>
      (await shop.admin.get<any>(`/admin/payments/${id}?fields=id,data,captured_at,canceled_at,*captures,*refunds`)).data.payment

    async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs
      let value = await read()
      while (!done(value) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        value = await read()
      }
      return value
    }

    describe.each([
      ["vipps", "Vipps"],
      ["collector.invoice", "Walley invoice"],
      ["instabank.invoice", "Instabank invoice"],
      ["klarna.klarna", "Klarna"],
    ])("%s", (productType, label) => {
      it(`is paid, captured in parts with the order lines, refunded, and the payment names ${label}`, async () => {
        const { payment, transactionId } = await placePaidOrder(productType)
        expect(transaction(transactionId)).toMatchObject({ payment_product_type: productType, status: "AUTHORIZED" })
        expect((await medusaPayment(payment.id)).data.dintero).toMatchObject({ payment_product_type: productType, payment_method: label })

        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 508.75 })).status).toBe(200)
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([30000, 50875])
        expect(transaction(transactionId).status).toBe("CAPTURED")

        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 100 })).status).toBe(200)
        expect(amountsOf(transactionId, "REFUND")).toEqual([10000])
        expect(transaction(transactionId).status).toBe("PARTIALLY_REFUNDED")

        // Walley and Instabank refuse operations without lines: every one carries items that add up.
        for (const request of [...sent("capture"), ...sent("refund")]) {
          const body = request.body as { amount: number; items: Array<{ line_id: string; amount: number }> }
          expect(body.items.length).toBeGreaterThan(0)
          expect(body.items.every((item) => typeof item.line_id === "string")).toBe(true)
          expect(body.items.reduce((sum, item) => sum + item.amount, 0)).toBe(body.amount)
        }
        expect((await medusaPayment(payment.id)).captures.map((c: any) => c.amount).sort()).toEqual([300, 508.75].sort())
      })

      it("an order cancelled before capture voids the authorization", async () => {
        const { order, payment, transactionId } = await placePaidOrder(productType)
        expect((await adminPost(`/admin/orders/${order.id}/cancel`)).status).toBe(200)
        const status = await eventually(() => transaction(transactionId).status, (s) => s === "AUTHORIZATION_VOIDED")
        expect(status).toBe("AUTHORIZATION_VOIDED")
        expect(sent("refund")).toHaveLength(0)
        expect((await medusaPayment(payment.id)).canceled_at).toBeTruthy()
      })
    })

    describe("swish.swish", () => {
      it("is captured when paid: Medusa records the capture, a capture asked for later changes nothing anywhere, refunds go in parts", async () => {
        const { payment, transactionId } = await placePaidOrder("swish.swish")
        expect(transaction(transactionId)).toMatchObject({ payment_product_type: "swish.swish", status: "CAPTURED" })
        const recorded = await medusaPayment(payment.id)
        expect(recorded.captured_at).toBeTruthy()
        expect(recorded.captures.map((c: any) => c.amount)).toEqual([808.75])
        expect(recorded.data.dintero).toMatchObject({ payment_product_type: "swish.swish", payment_method: "Swish" })

        // A part (or the whole) asked for again: nothing is sent to Dintero and Medusa records nothing more.
        const again = await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 100 })
        expect(again.status).toBeLessThan(500)
        expect(sent("capture")).toHaveLength(0)
        expect((await medusaPayment(payment.id)).captures.map((c: any) => c.amount)).toEqual([808.75])
        expect(transaction(transactionId).status).toBe("CAPTURED")

        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 100 })).status).toBe(200)
        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 8.75 })).status).toBe(200)
        expect(amountsOf(transactionId, "REFUND")).toEqual([10000, 875])
        expect(transaction(transactionId).status).toBe("PARTIALLY_REFUNDED")
      })

      it("cancelling a Swish order refunds the whole payment at Dintero once, even when the cancel is sent three times at once", async () => {
        const { order, payment, transactionId } = await placePaidOrder("swish.swish")
        const cancels = await Promise.all([1, 2, 3].map(() => adminPost(`/admin/orders/${order.id}/cancel`)))
        expect(cancels.some((c) => c.status === 200)).toBe(true)
        expect(cancels.every((c) => c.status < 500)).toBe(true)

        const refunds = await eventually(() => amountsOf(transactionId, "REFUND"), (amounts) => amounts.length > 0)
        await new Promise((resolve) => setTimeout(resolve, 1_000))
        expect(amountsOf(transactionId, "REFUND")).toEqual([80875])
        expect(refunds).toEqual([80875])
        expect(transaction(transactionId).status).toBe("REFUNDED")
        expect(sent("void")).toHaveLength(0)
        expect((await medusaPayment(payment.id)).refunds.map((r: any) => r.amount)).toEqual([808.75])
      })

      /**
       * A payment Medusa cancels with the provider (its cart could not be completed, Medusa's own compensation)
       * holds a Swish payment's money: it cannot be voided, so the provider refunds it, once.
       */
      async function swishPaymentWithoutOrder() {
        const paymentModule = getContainer().resolve(Modules.PAYMENT)
        // Only the test drives this payment: Dintero's callbacks are held back.
        dintero.emulator.holdCallbacks(true)
        const collection = await paymentModule.createPaymentCollections({ currency_code: "nok", amount: 250 })
        const session = await paymentModule.createPaymentSession(collection.id, {
          provider_id: DINTERO_PROVIDER_ID,
          currency_code: "nok",
          amount: 250,
          data: {},
        })
        const paid = await dintero.emulator.pay((session.data.dintero as { session_id: string }).session_id, { productType: "swish.swish" })
        const payment = await paymentModule.authorizePaymentSession(session.id, {})
        return { paymentModule, payment, transactionId: paid.transactionId! }
      }

      it("a Swish payment cancelled with the provider five times at once is refunded once, and never voided", async () => {
        const { paymentModule, payment, transactionId } = await swishPaymentWithoutOrder()
        expect(transaction(transactionId).status).toBe("CAPTURED")

        const attempts = await Promise.allSettled([1, 2, 3, 4, 5].map(() => paymentModule.cancelPayment(payment.id)))
        expect(attempts.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "fulfilled"])
        expect(sent("refund")).toHaveLength(1)
        expect(sent("refund")[0].body).toMatchObject({ amount: 25000 })
        expect(amountsOf(transactionId, "REFUND")).toEqual([25000])
        expect(transaction(transactionId).status).toBe("REFUNDED")
        expect(sent("void")).toHaveLength(0)

        await paymentModule.cancelPayment(payment.id)
        expect(sent("refund")).toHaveLength(1)
      })

      it("a Swish payment Medusa recorded is never refunded by a concurrent authorization of the same session that lost the race", async () => {
        const paymentModule = getContainer().resolve(Modules.PAYMENT)
        dintero.emulator.holdCallbacks(true)
        const collection = await paymentModule.createPaymentCollections({ currency_code: "nok", amount: 250 })
        const session = await paymentModule.createPaymentSession(collection.id, {
          provider_id: DINTERO_PROVIDER_ID,
          currency_code: "nok",
          amount: 250,
          data: {},
        })
        const paid = await dintero.emulator.pay((session.data.dintero as { session_id: string }).session_id, { productType: "swish.swish" })

        // The losers fail to record their Payment and Medusa cancels with the provider: that must not refund the winner's money.
        const attempts = await Promise.allSettled([1, 2, 3, 4, 5].map(() => paymentModule.authorizePaymentSession(session.id, {})))
        expect(attempts.some((a) => a.status === "fulfilled")).toBe(true)
        expect(sent("refund")).toHaveLength(0)
        expect(transaction(paid.transactionId!).status).toBe("CAPTURED")
        const payments = await paymentModule.listPayments({ payment_session_id: session.id })
        expect(payments).toHaveLength(1)
        expect(payments[0].canceled_at).toBeFalsy()
      })

      it("a Swish cancel whose refund answer is lost is recognised on the retry and not refunded again", async () => {
        const { paymentModule, payment, transactionId } = await swishPaymentWithoutOrder()
        // Dintero refunds, then the answer never arrives, and the reads that would find out fail too.
        dintero.emulator.injectFault({
          kind: "reset",
          phase: "after",
          match: { method: "POST", path: "/refund" },
          then: [{ kind: "status", status: 503, count: 20, match: { method: "GET", path: "/transactions/" } }],
        })
        await expect(paymentModule.cancelPayment(payment.id)).rejects.toBeDefined()
        expect(amountsOf(transactionId, "REFUND")).toEqual([25000])
        dintero.emulator.clearFaults()
        const refundsSentBefore = sent("refund").length

        await paymentModule.cancelPayment(payment.id)
        expect(sent("refund")).toHaveLength(refundsSentBefore)
        expect(amountsOf(transactionId, "REFUND")).toEqual([25000])
        expect(transaction(transactionId).status).toBe("REFUNDED")
      })
    })
  },
})

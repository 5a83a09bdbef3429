import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { placePaidOrder as placePaidOrderIn } from "../helpers/dintero-checkout"

jest.setTimeout(120_000)

const dintero = useDinteroEmulator({ callbackSecret: null })

/**
 * The uncaptured rest of a part-captured payment is released at Dintero: when the order is canceled, and
 * through POST /admin/dintero/payments/:id/release. Dintero voids the rest after a part-capture only for some
 * products (payex.creditcard here); for others (dintero_psp.creditcard, the account's product) nothing is
 * voided and the refusal says why.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const placePaidOrder = (productType?: "payex.creditcard" | "bambora.creditcard") =>
      placePaidOrderIn(shop, dintero.emulator, productType ? { productType } : {})
    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id)!
    const amountsOf = (id: string, event: string) =>
      transaction(id).events.filter((e: any) => e.event === event).map((e: any) => e.amount)
    const adminPost = (path: string, body: object = {}) => shop.admin.post<any>(path, body)
    const medusaPayment = async (id: string) =>
      (await shop.admin.get<any>(`/admin/payments/${id}?fields=id,canceled_at,*captures,*refunds`)).data.payment
    const capturesSent = () => dintero.emulator.requests().filter((r: any) => r.method === "POST" && r.path.endsWith("/capture"))
    const paymentData = async (id: string) =>
      (await shop.admin.get<any>(`/admin/payments/${id}?fields=id,data`)).data.payment.data.dintero
    const voidsSent = () => dintero.emulator.requests().filter((r: any) => r.method === "POST" && r.path.endsWith("/void"))

    async function eventually<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs
      let value = await read()
      while (!done(value) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        value = await read()
      }
      return value
    }

    describe("cancelling an order whose payment is partly captured", () => {
      it("refunds the captured part and releases the uncaptured rest at Dintero (payex.creditcard)", async () => {
        const { order, payment, transactionId } = await placePaidOrder("payex.creditcard")
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)

        const canceled = await adminPost(`/admin/orders/${order.id}/cancel`)
        expect(canceled.status).toBe(200)

        const voids = await eventually(() => amountsOf(transactionId, "VOID"), (amounts) => amounts.length > 0)
        expect(voids).toEqual([50875])
        expect(amountsOf(transactionId, "REFUND")).toEqual([30000])
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([30000])
        expect(transaction(transactionId).status).toBe("REFUNDED")
        const after = await eventually(() => medusaPayment(payment.id), (p) => Boolean(p.canceled_at))
        expect(after.canceled_at).toBeTruthy()
        expect(after.refunds.map((r: any) => r.amount)).toEqual([300])
      })

      it("still cancels the order where Dintero cannot release the rest (dintero_psp), voiding nothing", async () => {
        const { order, payment, transactionId } = await placePaidOrder()
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)

        expect((await adminPost(`/admin/orders/${order.id}/cancel`)).status).toBe(200)
        await eventually(() => amountsOf(transactionId, "REFUND"), (amounts) => amounts.length > 0)
        // Give the order.canceled subscriber its turn before checking that it sent nothing.
        await new Promise((resolve) => setTimeout(resolve, 1_000))

        expect(voidsSent()).toHaveLength(0)
        expect(transaction(transactionId).status).toBe("PARTIALLY_CAPTURED_REFUNDED")
        expect((await medusaPayment(payment.id)).canceled_at).toBeFalsy()
      })
    })

    describe("POST /admin/dintero/payments/:id/release", () => {
      it("releases the rest, answers the payment's Dintero state, and the captured part can still be refunded", async () => {
        const { payment, transactionId } = await placePaidOrder("payex.creditcard")
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)

        const released = await adminPost(`/admin/dintero/payments/${payment.id}/release`)
        expect(released.status).toBe(200)
        expect(released.data.payment).toMatchObject({
          id: payment.id,
          canceled_at: expect.anything(),
          dintero: { transaction_id: transactionId, transaction_status: "CAPTURED" },
        })
        expect(amountsOf(transactionId, "VOID")).toEqual([50875])
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([30000])

        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 100 })).status).toBeGreaterThanOrEqual(400)
        expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 100 })).status).toBe(200)
        expect(amountsOf(transactionId, "REFUND")).toEqual([10000])
      })

      it("refuses with Dintero's reason where the product cannot release the rest, changing nothing", async () => {
        const { payment, transactionId } = await placePaidOrder()
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)

        const refused = await adminPost(`/admin/dintero/payments/${payment.id}/release`)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/dintero_psp\.creditcard does not support a void after a partial capture/)
        expect(voidsSent()).toHaveLength(0)
        expect(transaction(transactionId).status).toBe("PARTIALLY_CAPTURED")
        expect((await medusaPayment(payment.id)).canceled_at).toBeFalsy()
      })

      it("refuses a payment nothing was captured from, one captured in full, and one that is not there", async () => {
        const { payment, transactionId } = await placePaidOrder("payex.creditcard")
        const uncaptured = await adminPost(`/admin/dintero/payments/${payment.id}/release`)
        expect(uncaptured.status).toBe(400)
        expect(uncaptured.data.message).toMatch(/Nothing is captured/)
        expect(transaction(transactionId).status).toBe("AUTHORIZED")
        expect((await adminPost(`/admin/dintero/payments/pay_missing/release`)).status).toBe(404)

        expect((await adminPost(`/admin/payments/${payment.id}/capture`)).status).toBe(200)
        const whole = await adminPost(`/admin/dintero/payments/${payment.id}/release`)
        expect(whole.status).toBe(400)
        expect(whole.data.message).toMatch(/captured in full/)
        expect((await medusaPayment(payment.id)).canceled_at).toBeFalsy()
        expect(voidsSent()).toHaveLength(0)
      })
    })
    describe("POST /admin/dintero/payments/:id/capture with final", () => {
      it("a final part-capture of a Dintero PSP payment sends final_capture: the rest is released and cannot be captured", async () => {
        const { payment, transactionId } = await placePaidOrder()
        const captured = await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 300, final: true })
        expect(captured.status).toBe(200)
        expect(captured.data.payment).toMatchObject({ dintero: { transaction_status: "CAPTURED" }, captures: [{ amount: 300 }] })
        expect(capturesSent().map((r: any) => r.body)).toEqual([expect.objectContaining({ amount: 30000, final_capture: true })])
        expect(amountsOf(transactionId, "VOID")).toEqual([50875])
        expect((await paymentData(payment.id)).final_capture_requested ?? null).toBeNull()

        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 100 })).status).toBeGreaterThanOrEqual(400)
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([30000])
        expect((await medusaPayment(payment.id)).captures.map((c: any) => c.amount)).toEqual([300])
      })

      it("without final the capture leaves the rest to capture, and the next Medusa capture is not final", async () => {
        const { payment, transactionId } = await placePaidOrder()
        expect((await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)
        expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 100 })).status).toBe(200)
        expect(capturesSent().map((r: any) => r.body.final_capture)).toEqual([undefined, undefined])
        expect(amountsOf(transactionId, "VOID")).toEqual([])
        expect(transaction(transactionId).status).toBe("PARTIALLY_CAPTURED")
      })

      it("a final capture of a payex card captures, then voids the rest", async () => {
        const { payment, transactionId } = await placePaidOrder("payex.creditcard")
        expect((await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 300, final: true })).status).toBe(200)
        expect(capturesSent().map((r: any) => r.body.final_capture)).toEqual([undefined])
        expect(amountsOf(transactionId, "CAPTURE")).toEqual([30000])
        expect(amountsOf(transactionId, "VOID")).toEqual([50875])
        expect(transaction(transactionId).status).toBe("CAPTURED")
      })

      it("refuses a final capture where the product can release nothing, before anything is captured", async () => {
        const { payment, transactionId } = await placePaidOrder("bambora.creditcard")
        const refused = await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 300, final: true })
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/bambora\.creditcard has neither final_capture/)
        expect(capturesSent()).toHaveLength(0)
        expect(transaction(transactionId).status).toBe("AUTHORIZED")
        expect((await medusaPayment(payment.id)).captures).toHaveLength(0)
        expect((await paymentData(payment.id)).final_capture_requested ?? null).toBeNull()
      })

      it("refuses a body without a positive amount or with unknown fields", async () => {
        const { payment } = await placePaidOrder()
        expect((await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { final: true })).status).toBe(400)
        expect((await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: -1 })).status).toBe(400)
        expect((await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 1, final_capture: true })).status).toBe(400)
        expect(capturesSent()).toHaveLength(0)
      })
    })
  },
})

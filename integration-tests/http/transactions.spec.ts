import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { listOrders, placePaidOrder as placePaidOrderIn } from "../helpers/dintero-checkout"
import { DinteroClient } from "../../src/lib/dintero"

jest.setTimeout(120_000)

/** Dintero's API as the merchant's backoffice would use it, outside Medusa. */
const dinteroClient = (baseUrl: string) =>
  new DinteroClient({
    accountId: "T12345678",
    clientId: "emulator-client-id",
    clientSecret: "emulator-client-secret",
    apiBaseUrl: baseUrl,
    checkoutBaseUrl: baseUrl,
    timeoutMs: 5000,
    retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 100 },
    system: { name: "test", version: "0", pluginName: "backoffice", pluginVersion: "0" },
  })

const dintero = useDinteroEmulator({ callbackSecret: null })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const placePaidOrder = () => placePaidOrderIn(shop, dintero.emulator)

    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id)!

    const adminPost = (path: string, body: object = {}) => shop.admin.post<any>(path, body)

    it("a full capture in the shop.admin captures the whole authorization at Dintero, once", async () => {
      const { payment, transactionId } = await placePaidOrder()

      const captured = await adminPost(`/admin/payments/${payment.id}/capture`)
      expect(captured.status).toBe(200)
      expect(transaction(transactionId).status).toBe("CAPTURED")
      const captures = transaction(transactionId).events.filter((e: any) => e.event === "CAPTURE")
      expect(captures).toHaveLength(1)
      expect(captures[0].amount).toBe(80875)
      // Medusa's capture id travels as Dintero's capture_reference, so a retry can be recognised.
      expect(captures[0].event_reference).toBe(captured.data.payment.captures[0].id)
    })

    it("a partial capture in the shop.admin captures exactly that amount, and the rest can follow", async () => {
      const { payment, transactionId } = await placePaidOrder()

      const first = await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 300 })
      expect(first.status).toBe(200)
      expect(transaction(transactionId).status).toBe("PARTIALLY_CAPTURED")
      expect(transaction(transactionId).events.filter((e: any) => e.event === "CAPTURE").map((e: any) => e.amount)).toEqual([30000])

      const rest = await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 508.75 })
      expect(rest.status).toBe(200)
      expect(transaction(transactionId).status).toBe("CAPTURED")
      expect(transaction(transactionId).events.filter((e: any) => e.event === "CAPTURE").map((e: any) => e.amount)).toEqual([30000, 50875])
    })

    it("two partial refunds and then the rest are each refunded at Dintero with their own reference", async () => {
      const { payment, transactionId } = await placePaidOrder()
      expect((await adminPost(`/admin/payments/${payment.id}/capture`)).status).toBe(200)

      for (const amount of [100, 100]) {
        const refunded = await adminPost(`/admin/payments/${payment.id}/refund`, { amount })
        expect(refunded.status).toBe(200)
      }
      expect(transaction(transactionId).status).toBe("PARTIALLY_REFUNDED")
      const rest = await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 608.75 })
      expect(rest.status).toBe(200)

      const refunds = transaction(transactionId).events.filter((e: any) => e.event === "REFUND")
      expect(refunds.map((e: any) => e.amount)).toEqual([10000, 10000, 60875])
      expect(new Set(refunds.map((e: any) => e.event_reference)).size).toBe(3)
      expect(transaction(transactionId).status).toBe("REFUNDED")

      const overRefund = await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 1 })
      expect(overRefund.status).toBe(400)
      expect(transaction(transactionId).events.filter((e: any) => e.event === "REFUND")).toHaveLength(3)
    })

    it("cancelling an order whose payment is not captured voids the authorization at Dintero", async () => {
      const { order, transactionId } = await placePaidOrder()

      const cancelled = await adminPost(`/admin/orders/${order.id}/cancel`)
      expect(cancelled.status).toBe(200)
      expect(cancelled.data.order.status).toBe("canceled")
      expect(transaction(transactionId).status).toBe("AUTHORIZATION_VOIDED")
      const [after] = await listOrders(shop.admin)
      expect(after.payment_collections[0].payments[0].canceled_at).toBeTruthy()
    })

    it("a capture whose answer is lost is recognised on the retry and not captured twice", async () => {
      const { payment, transactionId } = await placePaidOrder()
      // Dintero applies the capture, then the connection drops before we see the answer.
      dintero.emulator.injectFault({ kind: "reset", phase: "after", count: 1, match: { method: "POST", path: "/capture" } })

      const captured = await adminPost(`/admin/payments/${payment.id}/capture`)
      expect(captured.status).toBe(200)
      expect(transaction(transactionId).status).toBe("CAPTURED")
      expect(transaction(transactionId).events.filter((e: any) => e.event === "CAPTURE")).toHaveLength(1)
    })

    it("Dintero's refusal reaches the shop.admin as a clear error with Dintero's message", async () => {
      const { payment, transactionId } = await placePaidOrder()
      // Someone voids the authorization in Dintero's backoffice behind Medusa's back.
      await dinteroClient(dintero.emulator.baseUrl).voidTransaction(transactionId)

      const captured = await adminPost(`/admin/payments/${payment.id}/capture`)
      expect(captured.status).toBeGreaterThanOrEqual(400)
      expect(captured.data.message).toMatch(/Dintero/)
      expect(transaction(transactionId).status).toBe("AUTHORIZATION_VOIDED")
      expect(JSON.stringify(captured.data)).not.toMatch(/emulator-client-secret|Bearer/)
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { placePaidOrder as placePaidOrderIn } from "../helpers/dintero-checkout"

jest.setTimeout(120_000)

const dintero = useDinteroEmulator({ callbackSecret: null })

/**
 * GET /admin/dintero/payments/:id, the order page's Dintero panel: what a merchant sees of a payment is read
 * live from Dintero (the emulator here) — method, amounts, status, events, the Backoffice link — and never
 * carries a credential or a card token.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const placePaidOrder = (productType?: string) =>
      placePaidOrderIn(shop, dintero.emulator, productType ? ({ productType } as any) : {})
    const panel = (paymentId: string) => shop.admin.get<any>(`/admin/dintero/payments/${paymentId}`)
    const adminPost = (path: string, body: object = {}) => shop.admin.post<any>(path, body)
    const operationsSent = () =>
      dintero.emulator.requests().filter((r: any) => r.method === "POST" && /\/(capture|refund|void)$/.test(r.path))

    it("shows a card payment as Dintero has it: card, amounts, status, the authorization and the Backoffice link", async () => {
      const { payment, transactionId } = await placePaidOrder()

      const { status, data } = await panel(payment.id)

      expect(status).toBe(200)
      expect(data.payment).toMatchObject({
        id: payment.id,
        provider_id: "pp_dintero_dintero",
        medusa: { amount: 80875, captured: 0, refunded: 0, canceled_at: null },
        dintero: {
          transaction_id: transactionId,
          status: "AUTHORIZED",
          payment_method: {
            label: "Card",
            payment_product_type: "dintero_psp.creditcard",
            card: { brand: expect.any(String), masked_pan: expect.stringMatching(/1111$/) },
          },
          amounts: { currency: "NOK", decimals: 2, authorized: 80875, captured: 0, refunded: 0, released: 0, capturable: 80875, refundable: 0 },
          events: [expect.objectContaining({ event: "AUTHORIZE", amount: 80875, success: true, created_at: expect.any(String) })],
          release: { possible: false },
          final_capture: { possible: true },
          backoffice: {
            url: `https://backoffice.dintero.com/T12345678/payments/transactions/${encodeURIComponent(transactionId)}`,
            environment: "test",
          },
        },
      })
      // Read live: one GET of the transaction per look, nothing sent.
      expect(dintero.emulator.requests().filter((r: any) => r.method === "GET" && r.path.endsWith(transactionId)).length).toBeGreaterThan(0)
      expect(operationsSent()).toHaveLength(0)
    })

    it("follows a part-capture, a refund, a Backoffice capture and the release of the rest, each in the event history", async () => {
      const { payment, transactionId } = await placePaidOrder("payex.creditcard")
      expect((await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 300 })).status).toBe(200)
      expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 100 })).status).toBe(200)

      const partly = (await panel(payment.id)).data.payment
      expect(partly.dintero).toMatchObject({
        status: "PARTIALLY_CAPTURED_REFUNDED",
        amounts: { authorized: 80875, captured: 30000, refunded: 10000, capturable: 50875, refundable: 20000 },
        release: { possible: true },
      })
      expect(partly.medusa).toMatchObject({ captured: 30000, refunded: 10000 })
      const [capture, refund] = partly.dintero.events.filter((e: any) => e.event === "CAPTURE" || e.event === "REFUND")
      expect(capture).toMatchObject({ event: "CAPTURE", amount: 30000, reference: expect.stringMatching(/^capt_/), made_by_medusa: true })
      expect(refund).toMatchObject({ event: "REFUND", amount: 10000, reference: expect.stringMatching(/^ref_/), made_by_medusa: true })

      // A capture made in Dintero's Backoffice is shown as not Medusa's.
      dintero.emulator.backoffice(transactionId, { operation: "capture", amount: 875 })
      const withBackoffice = (await panel(payment.id)).data.payment.dintero
      expect(withBackoffice.amounts).toMatchObject({ captured: 30875, capturable: 50000 })
      expect(withBackoffice.events.at(-1)).toMatchObject({ event: "CAPTURE", amount: 875, reference: null, made_by_medusa: false })

      // The callback of that capture records it in Medusa; then the rest is released.
      await waitFor(async () => (await panel(payment.id)).data.payment.medusa.captured === 30875)
      expect((await adminPost(`/admin/dintero/payments/${payment.id}/release`)).status).toBe(200)
      const released = (await panel(payment.id)).data.payment
      expect(released.dintero).toMatchObject({
        amounts: { captured: 30875, released: 50000, capturable: 0 },
        release: { possible: false },
      })
      expect(released.dintero.events.at(-1)).toMatchObject({ event: "VOID", amount: 50000 })
      expect(released.medusa.canceled_at).toBeTruthy()
    })

    it.each([
      ["vipps", "Vipps"],
      ["collector.invoice", "Walley invoice"],
    ])("names a %s payment by its method, with no card", async (productType, label) => {
      const { payment } = await placePaidOrder(productType)
      const { dintero: view } = (await panel(payment.id)).data.payment
      expect(view.payment_method).toMatchObject({ label, payment_product_type: productType, card: null })
    })

    it("a capture of more than is left to capture is refused with the amount left, and nothing is sent to Dintero", async () => {
      const { payment, transactionId } = await placePaidOrder()
      expect((await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 800 })).status).toBe(200)

      for (const body of [{ amount: 9 }, { amount: 9, final: true }, { amount: 8.755 }]) {
        const refused = await adminPost(`/admin/dintero/payments/${payment.id}/capture`, body)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(body.amount === 9 ? /At most 8\.75 NOK can still be captured/ : /not a positive whole amount/)
      }
      expect(operationsSent()).toHaveLength(1)
      const view = (await panel(payment.id)).data.payment
      expect(view.dintero.amounts).toMatchObject({ captured: 80000, capturable: 875 })
      expect(view.medusa.captured).toBe(80000)
      // The refused final capture left no final-capture request behind for a later capture to pick up.
      const data = (await shop.admin.get<any>(`/admin/payments/${payment.id}?fields=id,data`)).data.payment.data.dintero
      expect(data.final_capture_requested ?? null).toBeNull()
      expect(dintero.emulator.transactions().find((t: any) => t.id === transactionId)!.status).toBe("PARTIALLY_CAPTURED")
    })

    it("answers 404 for a payment that is not a Dintero payment Medusa knows", async () => {
      for (const id of ["pay_01UNKNOWN000000000000000000", "not-a-payment-id", "pay_x%27%20or%201=1"]) {
        const { status, data } = await panel(id)
        expect(status).toBe(404)
        expect(data.message).toMatch(/was not found/)
      }
    })

    it("no client secret, access token or card token reaches the panel's answer", async () => {
      const { payment } = await placePaidOrder()
      await adminPost(`/admin/dintero/payments/${payment.id}/capture`, { amount: 100 })
      const { status, data } = await panel(payment.id)
      expect(status).toBe(200)
      const text = JSON.stringify(data)

      const secrets = [
        "emulator-client-secret",
        Buffer.from("emulator-client-id:emulator-client-secret").toString("base64"),
        ...dintero.emulator.accessTokens(),
        ...dintero.emulator.tokens().map((token: any) => token.token),
        process.env.DINTERO_TOKEN_ENCRYPTION_KEY!,
      ]
      expect(dintero.emulator.accessTokens().length).toBeGreaterThan(0)
      expect(secrets.filter((secret) => text.includes(secret))).toEqual([])
      // Only the panel's own fields: no tokens, no customer, no addresses, no callback URL from Dintero's transaction.
      expect(text).not.toMatch(/payment_token|recurrence_token|billing_address|shipping_address|"customer"|callback_url/)
      expect(Object.keys(data.payment).sort()).toEqual(["currency_code", "dintero", "id", "medusa", "provider_id"])
      expect(Object.keys(data.payment.dintero).sort()).toEqual([
        "amounts", "backoffice", "events", "final_capture", "partial_capture", "payment_method", "release", "session_id", "status", "transaction_id",
      ])
      expect(Object.keys(data.payment.dintero.payment_method.card).sort()).toEqual(["brand", "expiry_date", "masked_pan"])
    })
  },
})

async function waitFor(done: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("waitFor: timed out")
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

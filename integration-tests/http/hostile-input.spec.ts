import "../helpers/env"
import fc from "fast-check"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useSeededStore } from "../helpers/seeded-store"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID, listOrders, startDinteroCheckout } from "../helpers/dintero-checkout"
import { completeCart, initiatePaymentSessionRaw, prepareCart } from "../../scripts/lib/store-checkout"
import { computeCallbackSignature } from "../../src/lib/dintero/signature"

jest.setTimeout(180_000)

const dintero = useDinteroEmulator({ callbackSecret: CALLBACK_SECRET })

/** Requests to Dintero that move or release money. */
const MONEY_MOVING = /\/(capture|refund|void|cancel)$|\/sessions\/pay$/

/**
 * Property-based tests of what a stranger can send: Dintero's callback route and the storefront's payment
 * session data. Whatever arrives, the answer is never a 5xx (Dintero is up here), nothing is authorized
 * without a genuine payment, and a refusal changes nothing.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    it("no callback query, signature or body a stranger can make is answered 5xx, places an order or moves money", async () => {
      // A real, paid cart whose genuine callback is held back: forged callbacks name its transaction too.
      const { dinteroSessionId, paymentSession } = await startDinteroCheckout(shop.store, shop.seeded)
      dintero.emulator.holdCallbacks(true)
      const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
      const realTransaction = paid.transactionId!

      const transactionIds = fc.constantFrom(realTransaction, "T12345678.unknown", "P87654321.other", "", "x".repeat(300), "../../admin")
      const query = fc.record(
        {
          transaction_id: transactionIds,
          session_id: fc.constantFrom(dinteroSessionId, "T12345678.other", ""),
          merchant_reference: fc.constantFrom(paymentSession.id, "payses_forged", ""),
          time: fc.constantFrom(new Date().toISOString(), "yesterday"),
          error: fc.constantFrom("cancelled", "authorization", "failed"),
          event: fc.constantFrom("CAPTURE", "REFUND", "VOID"),
          method: fc.constantFrom("POST", "GET"),
          junk: fc.string(),
        },
        { requiredKeys: [] }
      )
      const signature = fc.constantFrom("none", "garbage", "wrong-secret", "stale", "other-url", "valid")
      const body = fc.option(fc.record({ id: transactionIds, status: fc.constantFrom("AUTHORIZED", "CAPTURED") }, { requiredKeys: [] }))

      await fc.assert(
        fc.asyncProperty(query, signature, fc.constantFrom("GET", "POST"), body, async (params, how, method, payload) => {
          // A validly signed callback for the real transaction is Dintero's own, not a stranger's.
          fc.pre(!(how === "valid" && (params.transaction_id === realTransaction || payload?.id === realTransaction)))
          const search = new URLSearchParams(params as Record<string, string>).toString()
          const path = `/hooks/dintero/callback${search ? `?${search}` : ""}`
          const now = Math.floor(Date.now() / 1000)
          const sign = (secret: string, timestamp: number, signedPath = path) => {
            const url = new URL(`${dintero.backendUrl}${signedPath}`)
            return `t=${timestamp},v0-hmac-sha256=${computeCallbackSignature({ secret, accountId: "T12345678", method, url, timestamp })}`
          }
          const header: Record<string, string | undefined> = {
            none: undefined,
            garbage: "t=1,v0-hmac-sha256=deadbeef",
            "wrong-secret": sign("not-the-secret", now),
            stale: sign(CALLBACK_SECRET, now - 3600),
            "other-url": sign(CALLBACK_SECRET, now, `/hooks/dintero/callback?transaction_id=${encodeURIComponent(realTransaction)}`),
            valid: sign(CALLBACK_SECRET, now),
          }
          const signedForThisUrl = how === "valid" || (how === "other-url" && path === `/hooks/dintero/callback?transaction_id=${encodeURIComponent(realTransaction)}`)
          const requestsBefore = dintero.emulator.requests().length

          const response = await api.request({
            method,
            url: path,
            data: method === "POST" ? payload ?? undefined : undefined,
            headers: header[how] ? { "dintero-signature": header[how]! } : {},
            validateStatus: () => true,
          })

          expect(response.status).toBeLessThan(500)
          if (!signedForThisUrl) {
            // Refused before anything is looked at: not even Dintero is asked.
            expect(response.status).toBe(401)
            expect(dintero.emulator.requests().length).toBe(requestsBefore)
          }
          expect(JSON.stringify(response.data ?? "")).not.toContain(CALLBACK_SECRET)
        }),
        { numRuns: 150 }
      )

      expect(await listOrders(shop.admin)).toHaveLength(0)
      const transaction = dintero.emulator.transactions().find((t: any) => t.id === realTransaction)!
      expect(transaction.status).toBe("AUTHORIZED")
      expect(dintero.emulator.requests().filter((r) => r.method === "POST" && MONEY_MOVING.test(r.path))).toEqual([])
    })

    it("no payment-session data a storefront can send is answered 5xx, forges provider data or pays the cart", async () => {
      const { cart, paymentCollection } = await prepareCart(shop.store, { regionId: shop.seeded.regionId, variantId: shop.seeded.variantId })
      const cartTotal = Math.round(Number(paymentCollection.amount) * 100) // NOK in øre
      const providerOwned = ["dintero", "transaction_id", "save_card_to", "decline", "merchant_initiated"]

      const forgedDintero = fc.record(
        {
          session_id: fc.constantFrom("T12345678.forged", ""),
          transaction_id: fc.constantFrom("T12345678.forged-transaction"),
          transaction_status: fc.constantFrom("AUTHORIZED", "CAPTURED"),
          amount: fc.constantFrom(1, 0, -5, 80_875),
          currency: fc.constantFrom("NOK", "SEK"),
          save_card_to: fc.constantFrom("acchld_someone_else"),
          decline: fc.constant({ types: [], retry_codes: [] }),
        },
        { requiredKeys: [] }
      )
      const data = fc.record(
        {
          save_card: fc.oneof(fc.boolean(), fc.jsonValue()),
          payment_method_id: fc.oneof(fc.constantFrom("dcard_someone_else", ""), fc.jsonValue()),
          return_url: fc.oneof(fc.constantFrom("https://evil.example/steal", "javascript:alert(1)", "http://localhost:8000/ok"), fc.jsonValue()),
          session_id: fc.constantFrom("payses_forged", ""),
          dintero: fc.oneof(forgedDintero, fc.jsonValue()),
          transaction_id: fc.constantFrom("T12345678.forged-transaction"),
          save_card_to: fc.constantFrom("acchld_someone_else"),
          decline: fc.jsonValue(),
          merchant_initiated: fc.oneof(fc.constant({ card_id: "dcard_x", merchant_reference: "sneaky" }), fc.jsonValue()),
          anything: fc.jsonValue(),
        },
        { requiredKeys: [] }
      )

      await fc.assert(
        fc.asyncProperty(data, async (input) => {
          const response = await initiatePaymentSessionRaw(shop.store, paymentCollection.id, DINTERO_PROVIDER_ID, input)
          expect(response.status).toBeLessThan(500)
          const forges = providerOwned.filter((key) => key in input)
          if (forges.length) {
            // Provider-owned keys are refused with a message naming them, not silently merged.
            expect(response.status).toBeGreaterThanOrEqual(400)
            const said = String(response.data.message).toLowerCase().replace(/[- ]/g, "_")
            expect(forges.some((key) => said.includes(key))).toBe(true)
            return
          }
          if (response.status !== 200) {
            return
          }
          const session = response.data.payment_collection.payment_sessions.find((s: any) => s.provider_id === DINTERO_PROVIDER_ID)
          const ours = session.data.dintero
          // What the provider stored is its own: a session that exists at Dintero for the cart's amount.
          expect(ours.amount).toBe(cartTotal)
          expect(ours.currency).toBe("NOK")
          expect(ours.transaction_id).toBeUndefined()
          expect(ours.save_card_to).toBeUndefined() // a guest is never tokenized
          expect(dintero.emulator.sessions().some((s: any) => s.id === ours.session_id)).toBe(true)
        }),
        { numRuns: 40 }
      )

      // Nothing was paid, whatever the storefront said: the cart cannot be completed.
      const completed = await completeCart(shop.store, cart.id)
      expect(completed.data.type).not.toBe("order")
      expect(await listOrders(shop.admin)).toHaveLength(0)
      expect(dintero.emulator.transactions()).toHaveLength(0)
      expect(dintero.emulator.charges()).toHaveLength(0)
    })
  },
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { logger as frameworkLogger } from "@medusajs/framework/logger"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { CARDS, subscriptionFixtures } from "../helpers/subscriptions-fixtures"
import { ensureOk } from "../../scripts/lib/http"
import { initiatePaymentSession, prepareCart } from "../../scripts/lib/store-checkout"
import { DINTERO_PROVIDER_ID } from "../helpers/dintero-checkout"

jest.setTimeout(180_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: CALLBACK_SECRET })

const LOG_METHODS = ["log", "info", "warn", "error", "debug", "activity", "progress", "success", "failure", "panic", "shouldLog"] as const

/**
 * A full flow — checkout with a saved card and a subscription, Dintero's signed callback, capture, refund,
 * saved-card listings, a renewal charged without the customer — with every HTTP response and every log
 * line recorded. None may contain a credential: the API client secret, an access token, the callback
 * signing secret, the token encryption key, a raw card token; nor may a store or admin response contain a
 * sealed token blob.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)

    it("no secret, token or sealed token blob appears in any response or log line of a whole payment and renewal flow", async () => {
      const responses: string[] = []
      const logLines: string[] = []

      const interceptor = (api as any).interceptors.response.use((response: any) => {
        responses.push(`${response.config?.method} ${response.config?.url} → ${response.status} ${JSON.stringify(response.data)}`)
        return response
      })
      const loggers = new Set([getContainer().resolve(ContainerRegistrationKeys.LOGGER), frameworkLogger])
      const spies = [...loggers].flatMap((logger: any) =>
        LOG_METHODS.filter((method) => typeof logger[method] === "function").map((method) =>
          jest.spyOn(logger, method).mockImplementation((...args: unknown[]) => {
            logLines.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "))
            return method === "shouldLog" ? true : undefined
          })
        )
      )
      const consoleSpies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          logLines.push(args.map(String).join(" "))
        })
      )

      try {
        // A customer checks out with a monthly plan: the card is saved and the subscription starts.
        const kari = await fx.shopper("kari@example.com")
        const { order, transactionId } = await fx.checkout(kari, CARDS.approved, { plan: { interval: "month", interval_count: 1 } })
        await dintero.emulator.waitForCallbacks((d) => d.transactionId === transactionId && d.outcome === "delivered", 20_000)
        const [subscription] = await fx.waitForSubscriptions(kari)

        // The storefront reads the cart, the saved cards and the subscriptions the usual ways.
        ensureOk(await kari.store.get(`/store/orders/${order.id}`), "store order")
        ensureOk(await kari.store.get("/store/dintero/payment-methods"), "store cards")
        ensureOk(await kari.store.get("/store/customers/me/subscriptions"), "store subscriptions")
        ensureOk(await kari.store.get("/store/customers/me?fields=*account_holders"), "store customer")
        // A second checkout with the saved card: the cart's payment session carries the account holder in its context.
        const [card] = ensureOk(await kari.store.get<any>("/store/dintero/payment-methods"), "store cards").payment_methods
        const next = await prepareCart(kari.store, { regionId: fx.ctx.seeded.regionId, variantId: fx.ctx.seeded.variantId, email: kari.email })
        await initiatePaymentSession(kari.store, next.paymentCollection.id, DINTERO_PROVIDER_ID, { payment_method_id: card.id })
        ensureOk(await kari.store.get(`/store/carts/${next.cart.id}`), "store cart")

        // The merchant captures and refunds, and looks at the customer, the cards, the subscription.
        const fields = encodeURIComponent("*payment_collections,*payment_collections.payments,*payment_collections.payment_sessions")
        const placed = ensureOk(await fx.ctx.admin.get<any>(`/admin/orders/${order.id}?fields=${fields}`), "admin order").order
        const payment = placed.payment_collections[0].payments[0]
        ensureOk(await fx.ctx.admin.post(`/admin/payments/${payment.id}/capture`, {}), "capture")
        ensureOk(await fx.ctx.admin.post(`/admin/payments/${payment.id}/refund`, { amount: 10 }), "refund")
        ensureOk(await fx.ctx.admin.get(`/admin/customers/${kari.customerId}?fields=*account_holders`), "admin customer")
        ensureOk(await fx.ctx.admin.get(`/admin/customers/${kari.customerId}/dintero-payment-methods`), "admin cards")
        ensureOk(await fx.ctx.admin.get(`/admin/payments/${payment.id}`), "admin payment")
        ensureOk(await fx.ctx.admin.get(`/admin/dintero/payments/${payment.id}`), "admin Dintero payment panel")

        // The renewal charges the saved card without the customer.
        const detail = await fx.getSubscription(subscription.id)
        expect(await fx.renew(detail.current_period_end)).toMatchObject({ renewed: 1 })
        const renewed = await fx.getSubscription(subscription.id)
        ensureOk(await fx.ctx.admin.get(`/admin/orders/${renewed.charges[0].order_id}?fields=${fields}`), "admin renewal order")
        ensureOk(await fx.ctx.admin.get(`/admin/subscriptions?customer_id=${kari.customerId}`), "admin subscriptions")
      } finally {
        ;(api as any).interceptors.response.eject(interceptor)
        spies.forEach((spy) => spy.mockRestore())
        consoleSpies.forEach((spy) => spy.mockRestore())
      }

      const encryptionKey = process.env.DINTERO_TOKEN_ENCRYPTION_KEY!
      const credentials: Record<string, string[]> = {
        "client secret": ["emulator-client-secret", Buffer.from("emulator-client-id:emulator-client-secret").toString("base64")],
        "access token": dintero.emulator.accessTokens(),
        "callback secret": [CALLBACK_SECRET],
        "token encryption key": [encryptionKey, Buffer.from(encryptionKey, "base64").toString("hex")],
        "card token": dintero.emulator.tokens().map((token) => token.token),
      }
      // The flow really produced what the scan looks for (an empty list would prove nothing).
      expect(credentials["access token"].length).toBeGreaterThan(0)
      expect(credentials["card token"].length).toBeGreaterThan(0)
      expect(responses.length).toBeGreaterThan(15)

      const sealedBlobs = await sealedTokenBlobs(getContainer())
      expect(sealedBlobs.length).toBeGreaterThan(0)

      const leaks: string[] = []
      for (const [what, values] of Object.entries(credentials)) {
        for (const value of values.filter(Boolean)) {
          responses.filter((text) => text.includes(value)).forEach((text) => leaks.push(`${what} in response: ${text.slice(0, 160)}`))
          logLines.filter((text) => text.includes(value)).forEach((text) => leaks.push(`${what} in log: ${text.slice(0, 160)}`))
        }
      }
      for (const blob of sealedBlobs) {
        responses.filter((text) => text.includes(blob)).forEach((text) => leaks.push(`sealed token blob in response: ${text.slice(0, 160)}`))
        logLines.filter((text) => text.includes(blob)).forEach((text) => leaks.push(`sealed token blob in log: ${text.slice(0, 160)}`))
      }
      expect(leaks).toEqual([])
    })
  },
})

/** Every sealed token blob the plugin stored, read from the database where it keeps them. */
async function sealedTokenBlobs(container: any): Promise<string[]> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const holders = await pg.raw(`select data::text as data from account_holder`)
  const texts: string[] = holders.rows.map((row: any) => row.data)
  const credentials = await pg
    .raw(`select sealed_tokens from dintero_card_credential`)
    .then((result: any) => result.rows.map((row: any) => row.sealed_tokens))
    .catch(() => [])
  const fromHolders = texts.flatMap((text) => [...text.matchAll(/"sealed_tokens":\s*"([^"]+)"/g)].map((match) => match[1]))
  return [...fromHolders, ...credentials]
}

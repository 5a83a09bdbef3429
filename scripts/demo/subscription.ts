/**
 * A returning customer: the card is saved at a checkout that starts a monthly subscription, the saved
 * card is listed (masked), and the merchant renews the next period without the customer (a
 * merchant-initiated charge, as the renewal job does when the period ends).
 */
import { ensureOk, withHeaders, type StoreHttp } from "../lib/http"
import type { SeededStore } from "../lib/seed-store"
import { completeCartOnReturn, initiatePaymentSession, prepareCart, registerCustomer } from "../lib/store-checkout"
import { DINTERO_PROVIDER_ID, TEST_CARD, type DinteroEmulator } from "./dintero"
import { DemoError, nok, nokFromMinor, section, step } from "./print"

/** The walkthrough's customer, to log in to the storefront's account pages with, and their card-update link. */
export type DemoCustomer = { email: string; password: string; cardUpdateUrl: string | null }

export async function subscriptionWalkthrough(
  shop: StoreHttp,
  admin: StoreHttp,
  seeded: SeededStore,
  emulator: DinteroEmulator
): Promise<DemoCustomer> {
  section("Saved card and subscription")
  const email = `abonnent+${Date.now()}@example.com`
  const password = "demo-password-123"

  const customer = await step(
    "Register a customer",
    async () => {
      const registered = await registerCustomer(shop, email, password)
      return { ...registered, store: withHeaders(shop, registered.headers) }
    },
    () => `Customer ${email} registered and logged in (Store API)`
  )

  const order = await step(
    "Check out a monthly subscription, saving the card",
    async () => {
      const { cart, paymentCollection } = await prepareCart(customer.store, {
        regionId: seeded.regionId,
        variantId: seeded.variantId,
        email,
      })
      const plan = { subscription: { interval: "month", interval_count: 1 } }
      ensureOk(await customer.store.post(`/store/carts/${cart.id}`, { metadata: plan }), "name the plan on the cart")
      const { paymentSession } = await initiatePaymentSession(customer.store, paymentCollection.id, DINTERO_PROVIDER_ID)
      const sent = emulator.requests().filter((r) => r.path === "/v1/sessions-profile").at(-1)?.body as any
      if (!sent?.configuration?.dintero_psp?.creditcard?.generate_payment_token) {
        throw new DemoError("the Dintero session did not ask for a card token")
      }
      await emulator.pay(paymentSession.data.dintero.session_id, { card: TEST_CARD.replace(/ /g, ""), cvc: "123" })
      const completed = ensureOk(await completeCartOnReturn(customer.store, cart.id), "complete the cart")
      if (completed.type !== "order") throw new DemoError(`the cart was not completed: ${completed.error?.message}`)
      return completed.order
    },
    (placed) => ({
      line: `Order #${placed.display_id} paid (${nok(placed.total)}); Dintero was asked for a card token`,
      details: ["cart metadata.subscription = { interval: \"month\" } makes the provider tokenize (saveCards: subscriptions)"],
    })
  )

  const { subscription, card } = await step(
    "Subscription started from the order",
    async () => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const { subscriptions } = ensureOk(await customer.store.get<any>("/store/customers/me/subscriptions"), "list subscriptions")
        if (subscriptions?.length) {
          const { payment_methods } = ensureOk(await customer.store.get<any>("/store/dintero/payment-methods"), "list saved cards")
          return { subscription: subscriptions[0], card: payment_methods[0] }
        }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      throw new DemoError(`no subscription was started from order #${order.display_id}`)
    },
    ({ subscription, card }) => ({
      line: `Subscription ${subscription.id}: ${subscription.status}, monthly, next charge ${subscription.next_charge_at?.slice(0, 10)}`,
      details: [`saved card ${card.brand} ${card.masked_pan} (expires ${card.expiry_date}), listed on the account holder; its token sealed in the plugin's card vault`],
    })
  )

  await step(
    "Renew the next period now (Admin API, merchant-initiated)",
    async () => {
      const { renewal } = ensureOk(await admin.post<any>(`/admin/subscriptions/${subscription.id}/charge`), "charge the subscription")
      const charge = emulator.charges().find((c) => c.merchantReference.startsWith(`${subscription.id}:`))
      if (renewal.outcome !== "renewed" || !charge) throw new DemoError(`the renewal ended as ${renewal.outcome}`)
      return { renewal, charge }
    },
    ({ renewal, charge }) => ({
      line: `Renewed: Dintero ${charge.operation} of ${nokFromMinor(charge.amount)} → ${charge.status}, renewal order ${renewal.order_id}`,
      details: [
        `merchant_reference ${charge.merchantReference} (one per period: a re-run adopts this charge instead of charging again)`,
        `next charge ${String(renewal.next_charge_at).slice(0, 10)}; the renewal job does this by itself when a period ends`,
        `card used: ${card.masked_pan}`,
      ],
    })
  )

  const { notice } = await step(
    "A renewal is declined: the customer is told (Notification module)",
    async () => {
      const renewed = emulator.charges().find((c) => c.merchantReference.startsWith(`${subscription.id}:`))
      // The issuer declines the card's next merchant-initiated charge (insufficient funds: retried later).
      emulator.setTokenOutcomes(renewed!.tokenId!, ["insufficient_funds"])
      const { renewal } = ensureOk(await admin.post<any>(`/admin/subscriptions/${subscription.id}/charge`), "charge the subscription")
      if (renewal.outcome !== "failed") throw new DemoError(`the renewal ended as ${renewal.outcome}, not declined`)
      // The plugin's subscriber sends the notice through Medusa's Notification module; the demo store's local
      // provider logs it, and the Admin API lists it.
      for (let attempt = 0; attempt < 40; attempt++) {
        const { notifications } = ensureOk(
          await admin.get<any>(`/admin/notifications?channel=email&to=${encodeURIComponent(email)}&limit=5`),
          "list notifications"
        )
        const notice = notifications?.find((n: any) => n.template === "dintero-subscription-payment-failed")
        if (notice) return { renewal, notice }
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
      throw new DemoError("no payment-failed notice was sent")
    },
    ({ renewal, notice }) => ({
      line: `Declined (${renewal.decline?.code ?? "declined"}); notice "${notice.template}" sent to ${notice.to}`,
      details: [
        `data: ${nokFromMinor(notice.data.amount)}, attempt ${notice.data.attempt}, next attempt ${String(notice.data.next_attempt_at).slice(0, 16)}, card ${notice.data.card?.masked_pan}`,
        "the local notification provider prints each notice in the store log; configure an e-mail provider for the \"email\" channel to send them",
        `card-update link (the storefront's page; no login, works once): ${notice.data.card_update_url ?? "none (no cardUpdateUrl)"}`,
      ],
    })
  )
  return { email, password, cardUpdateUrl: notice.data.card_update_url ?? null }
}

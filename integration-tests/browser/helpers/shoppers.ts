/**
 * Customers with saved cards and subscriptions, made the way a storefront makes them (Store API, the
 * emulator's checkout page), for the browser suite's admin screens: the browser only looks and clicks.
 * As scripts/demo/subscription.ts: a checkout whose cart names a plan (`metadata.subscription`) saves the card
 * and starts the subscription (the order.placed subscriber); a checkout with `save_card` only saves the card.
 */
import { ensureOk, withHeaders, type StoreHttp } from "../../../scripts/lib/http"
import { completeCartOnReturn, initiatePaymentSession, prepareCart, registerCustomer } from "../../../scripts/lib/store-checkout"
import { DINTERO_PROVIDER_ID } from "../../../scripts/demo/dintero"
import type { BrowserStore } from "./browser-store"

export const CARDS = { visa: "4111111111111111", mastercard: "5555555555554444" }

export type Shopper = { customerId: string; email: string; store: StoreHttp }

type Store = Pick<BrowserStore, "shop" | "seeded" | "emulator">

export async function registerShopper(store: Store, email: string, name: { first_name: string; last_name: string }): Promise<Shopper> {
  const registered = await registerCustomer(store.shop, email, "correct-horse-battery", name)
  return { customerId: registered.customerId, email, store: withHeaders(store.shop, registered.headers) }
}

/**
 * A logged-in checkout paid by `card` on Dintero's page. With `plan` the cart asks for a subscription (the
 * card is saved for it); without, the customer asks to save the card. Answers the order and the card saved.
 */
export async function checkout(store: Store, who: Shopper, card: string, plan?: { interval: string; interval_count?: number }) {
  const { cart, paymentCollection } = await prepareCart(who.store, { regionId: store.seeded.regionId, variantId: store.seeded.variantId, email: who.email })
  if (plan) {
    ensureOk(await who.store.post(`/store/carts/${cart.id}`, { metadata: { subscription: plan } }), "name the plan on the cart")
  }
  const { paymentSession } = await initiatePaymentSession(who.store, paymentCollection.id, DINTERO_PROVIDER_ID, plan ? {} : { save_card: true })
  const paid = await store.emulator.pay(paymentSession.data.dintero.session_id, { card, cvc: "123" })
  if (!paid.transactionId) throw new Error(`checkout: the emulator declined the payment (${paid.error})`)
  const completed = ensureOk(await completeCartOnReturn(who.store, cart.id), "complete the cart")
  if (completed.type !== "order") throw new Error(`checkout: no order (${JSON.stringify(completed).slice(0, 200)})`)
  const { payment_methods } = ensureOk(await who.store.get<any>("/store/dintero/payment-methods"), "list saved cards")
  const saved = payment_methods.find((method: any) => method.source_transaction_id === paid.transactionId)
  if (!saved) throw new Error(`checkout: the card of transaction ${paid.transactionId} was not saved`)
  return { order: completed.order, cardId: saved.id as string, transactionId: paid.transactionId }
}

/** The customer's subscriptions once `count` exist (the order.placed subscriber starts them after the order). */
export async function subscriptionsOf(who: Shopper, count = 1): Promise<any[]> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const { subscriptions } = ensureOk(await who.store.get<any>("/store/customers/me/subscriptions"), "list subscriptions")
    if (subscriptions?.length >= count) return subscriptions
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`no subscription appeared for ${who.email}`)
}

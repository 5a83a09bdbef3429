import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { DinteroEmulator } from "../../emulator/src"
import { createAdminAndLogin } from "./admin-user"
import { DINTERO_PROVIDER_ID } from "./dintero-checkout"
import { ensureOk, fromAxios, withHeaders, type StoreHttp } from "../../scripts/lib/http"
import { seedStore, type SeededStore } from "../../scripts/lib/seed-store"
import { completeCartOnReturn, initiatePaymentSession, prepareCart, registerCustomer, storeClient } from "../../scripts/lib/store-checkout"
import { renewDueSubscriptions, type RenewDueSubscriptionsInput } from "../../src/workflows/subscriptions"

/** Test cards whose saved tokens Dintero declines for merchant-initiated charges (emulator/README.md). */
export const CARDS = {
  approved: "4111111111111111",
  retryAfterDelay: "4000000000003220",
  doNotRetry: "4000000000000119",
  retryImmediately: "4000000000000127",
}

export type Shopper = { customerId: string; email: string; store: StoreHttp }

/**
 * What the subscription suites share: a seeded store and admin per test, customers who check out on
 * Dintero's (emulated) page with a card that gets saved, and renewal runs at a chosen time.
 */
export function subscriptionFixtures(api: any, getContainer: () => MedusaContainer, dintero: { emulator: DinteroEmulator }) {
  const ctx = {} as { admin: StoreHttp; store: StoreHttp; seeded: SeededStore }

  const spies: jest.SpyInstance[] = []
  afterEach(() => spies.splice(0).forEach((spy) => spy.mockRestore()))

  beforeEach(async () => {
    ctx.admin = (await createAdminAndLogin(getContainer(), api)).http
    ctx.seeded = await seedStore(ctx.admin)
    ctx.store = storeClient(fromAxios(api), ctx.seeded.publishableKey)
  })

  async function shopper(email: string): Promise<Shopper> {
    const registered = await registerCustomer(ctx.store, email, "correct-horse-battery")
    return { customerId: registered.customerId, email, store: withHeaders(ctx.store, registered.headers) }
  }

  /**
   * A logged-in checkout paid on Dintero's page. With `plan` the cart asks for a subscription, which makes
   * the provider save the card (saveCards "subscriptions") and the order.placed subscriber start it.
   */
  async function checkout(who: Shopper, card: string, options: { plan?: Record<string, unknown>; quantity?: number; expiry?: string } = {}) {
    const { cart, paymentCollection } = await prepareCart(who.store, {
      regionId: ctx.seeded.regionId,
      variantId: ctx.seeded.variantId,
      email: who.email,
      quantity: options.quantity ?? 1,
    })
    if (options.plan) {
      ensureOk(await who.store.post(`/store/carts/${cart.id}`, { metadata: { subscription: options.plan } }), "set cart plan")
    }
    const data = options.plan ? {} : { save_card: true }
    const { paymentSession } = await initiatePaymentSession(who.store, paymentCollection.id, DINTERO_PROVIDER_ID, data)
    const paid = await dintero.emulator.pay(paymentSession.data.dintero.session_id, { card, cvc: "123", ...(options.expiry ? { expiry: options.expiry } : {}) })
    expect(paid.transactionId).toBeDefined()
    const completed = await completeCartOnReturn(who.store, cart.id)
    expect(completed.data.type).toBe("order")
    return { order: completed.data.order, transactionId: paid.transactionId! }
  }

  /** Polls the customer's subscriptions until `count` exist (the order.placed subscriber runs after the order). */
  async function waitForSubscriptions(who: Shopper, count = 1): Promise<any[]> {
    for (let attempt = 0; attempt < 60; attempt++) {
      const { data } = await who.store.get<any>("/store/customers/me/subscriptions")
      if (data.subscriptions?.length >= count) {
        return data.subscriptions
      }
      await sleep(250)
    }
    throw new Error(`no subscription appeared for ${who.email}`)
  }

  /** A customer with a card saved from a first (non-subscription) checkout. */
  async function customerWithCard(email: string, card = CARDS.approved, expiry?: string) {
    const who = await shopper(email)
    await checkout(who, card, { expiry })
    const cards = ensureOk(await who.store.get<any>("/store/dintero/payment-methods"), "list cards").payment_methods
    expect(cards).toHaveLength(1)
    return { ...who, cardId: cards[0].id as string }
  }

  /** Saves one more card for the customer (a checkout that asks to save it). */
  async function addCard(who: Shopper, card: string): Promise<string> {
    const { transactionId } = await checkout(who, card)
    const cards = ensureOk(await who.store.get<any>("/store/dintero/payment-methods"), "list cards").payment_methods
    return cards.find((saved: any) => saved.source_transaction_id === transactionId).id
  }

  /** An admin-created subscription: 299.00 NOK incl. 25 % VAT per period unless `items` say otherwise. */
  async function adminSubscription(who: { customerId: string; cardId: string }, body: Record<string, unknown>) {
    const response = await ctx.admin.post<any>("/admin/subscriptions", {
      customer_id: who.customerId,
      card_id: who.cardId,
      region_id: ctx.seeded.regionId,
      items: [{ title: "Coffee beans, 1 kg", quantity: 1, unit_amount: 29900, vat: 15, variant_id: ctx.seeded.variantId }],
      interval: "month",
      ...body,
    })
    expect(response.status).toBe(201)
    return response.data.subscription
  }

  const renew = (now: string | Date, input: Omit<RenewDueSubscriptionsInput, "now"> = {}) =>
    renewDueSubscriptions(getContainer(), { ...input, now })

  const getSubscription = async (id: string) => ensureOk(await ctx.admin.get<any>(`/admin/subscriptions/${id}`), "get subscription").subscription

  /** Names of the events emitted on Medusa's event bus from now on. */
  function recordEvents(): { names: () => string[]; data: (name: string) => any[] } {
    const eventBus = getContainer().resolve(Modules.EVENT_BUS)
    const seen: Array<{ name: string; data: any }> = []
    const original = eventBus.emit.bind(eventBus)
    const spy = jest.spyOn(eventBus, "emit").mockImplementation(async (messages: any, options?: any) => {
      for (const message of Array.isArray(messages) ? messages : [messages]) {
        seen.push({ name: message.name, data: message.data })
      }
      return original(messages, options)
    })
    spies.push(spy)
    return { names: () => seen.map((event) => event.name), data: (name) => seen.filter((event) => event.name === name).map((event) => event.data) }
  }

  /** Dintero charges (POST /v1/sessions/pay) for one subscription, in order. */
  const chargesFor = (subscriptionId: string) =>
    dintero.emulator.charges().filter((charge) => charge.merchantReference.startsWith(`${subscriptionId}:`))

  return {
    ctx,
    shopper,
    checkout,
    waitForSubscriptions,
    customerWithCard,
    addCard,
    adminSubscription,
    renew,
    getSubscription,
    chargesFor,
    recordEvents,
  }
}

export function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** ISO time `days` after `from`. */
export function daysAfter(from: string | Date, days: number): string {
  return new Date(new Date(from).getTime() + days * 86_400_000).toISOString()
}

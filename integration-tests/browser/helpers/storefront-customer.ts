/**
 * The scene of the storefront account tests, made through the HTTP APIs (the browser is for what the customer
 * sees and clicks): a registered customer with a card saved at a checkout paid on Dintero's (emulated) page, a
 * subscription an admin starts on that card, and the customer's side of the storefront's pages.
 */
import { ensureOk, withHeaders, type StoreHttp } from "../../../scripts/lib/http"
import { completeCartOnReturn, initiatePaymentSession, prepareCart, registerCustomer } from "../../../scripts/lib/store-checkout"
import type { BrowserStore } from "./browser-store"
import type { Page } from "./chromium"

const DINTERO_PROVIDER_ID = "pp_dintero_dintero"
export const CUSTOMER_PASSWORD = "correct-horse-battery"

export type Customer = { customerId: string; email: string; password: string; http: StoreHttp; cardId: string }

/** A customer whose `card` was saved at a checkout (data.save_card), paid on Dintero's page. */
export async function customerWithCard(store: BrowserStore, email: string, card: string): Promise<Customer> {
  const registered = await registerCustomer(store.shop, email, CUSTOMER_PASSWORD)
  const http = withHeaders(store.shop, registered.headers)
  const { cart, paymentCollection } = await prepareCart(http, { regionId: store.seeded.regionId, variantId: store.seeded.variantId, email, quantity: 1 })
  const { paymentSession } = await initiatePaymentSession(http, paymentCollection.id, DINTERO_PROVIDER_ID, { save_card: true })
  const paid = await store.emulator.pay(paymentSession.data.dintero.session_id, { card, cvc: "123" })
  if (!paid.transactionId) throw new Error(`the checkout was not paid: ${paid.error}`)
  const completed = ensureOk(await completeCartOnReturn(http, cart.id), "complete cart")
  if (completed.type !== "order") throw new Error(`no order: ${JSON.stringify(completed.error)}`)
  const { payment_methods } = ensureOk(await http.get<any>("/store/dintero/payment-methods"), "list cards")
  return { customerId: registered.customerId, email, password: CUSTOMER_PASSWORD, http, cardId: payment_methods[0].id }
}

/** A monthly subscription the admin starts on the customer's saved card (299.00 NOK incl. VAT a month). */
export async function adminSubscription(store: BrowserStore, who: Customer, body: Record<string, unknown> = {}) {
  const { subscription } = ensureOk(
    await store.admin.post<any>("/admin/subscriptions", {
      customer_id: who.customerId,
      card_id: who.cardId,
      region_id: store.seeded.regionId,
      items: [{ title: "Coffee beans, 1 kg", quantity: 1, unit_amount: 29900, vat: 15, variant_id: store.seeded.variantId }],
      interval: "month",
      ...body,
    }),
    "create subscription"
  )
  return subscription
}

export async function subscriptionOf(store: BrowserStore, id: string) {
  return ensureOk(await store.admin.get<any>(`/admin/subscriptions/${id}`), "get subscription").subscription
}

/** Logs in through the storefront's form (the account page sends a visitor there first). */
export async function logIn(page: Page, store: BrowserStore, who: { email: string; password: string }) {
  await page.goto(store.storefront.accountUrl)
  const form = page.getByRole("form", { name: "Log in" })
  await form.getByLabel("Email").fill(who.email)
  await form.getByLabel("Password").fill(who.password)
  await form.getByRole("button", { name: "Log in" }).click()
  await page.getByRole("heading", { name: /^Hello, / }).waitFor()
}

/**
 * Enters a card on Dintero's save-card page inside the storefront (the Web SDK's iframe) and saves it. Enter
 * in the last field submits with the form's first button, "Save card" (see admin-orders.spec.ts: a pointer
 * click through the iframe the SDK keeps resizing did not land on a loaded 2-core machine).
 */
export async function saveCardInEmbeddedPage(page: Page, card: string) {
  const dintero = page.frameLocator("#dintero-checkout iframe")
  await dintero.getByRole("heading", { name: "Save your card" }).waitFor()
  await dintero.getByLabel("Card number").fill(card)
  await dintero.getByLabel("Expiry (MM/YY)").fill("12/30")
  await dintero.getByRole("button", { name: "Save card" }).waitFor()
  await dintero.getByLabel("CVC").fill("123")
  await dintero.getByLabel("CVC").press("Enter")
}

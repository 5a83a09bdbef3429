/**
 * The demo storefront's account pages in headless Chromium against the development store (helpers/browser-store.ts):
 * a customer adds a card without a purchase on Dintero's page inside the storefront, replaces a subscription's
 * card with a new card added for it, manages a subscription, and a person with the card-update link of a
 * payment-failed notice adds a card without logging in. One store boot for the file; screenshots in test-artifacts/.
 */
import { ensureOk } from "../../scripts/lib/http"
import { CARDS } from "../helpers/subscriptions-fixtures"
import { startBrowserStore, type BrowserStore } from "./helpers/browser-store"
import { launchChromium, newContext, screenshot, type Browser, type Page } from "./helpers/chromium"
import { adminSubscription, customerWithCard, logIn, saveCardInEmbeddedPage, subscriptionOf } from "./helpers/storefront-customer"

jest.setTimeout(120_000)

let store: BrowserStore
let browser: Browser
const startedAt = Date.now()

beforeAll(async () => {
  ;[store, browser] = await Promise.all([startBrowserStore("storefront_account"), launchChromium()])
  console.log(`browser store booted in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`, store.timings)
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await store?.stop()
  console.log(`storefront-account browser spec took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
})

/** A fresh browser (its own cookies) for one test. */
async function withPage(fn: (page: Page) => Promise<void>) {
  const context = await newContext(browser)
  try {
    await fn(await context.newPage())
  } finally {
    await context.close()
  }
}

const chargesFor = (subscriptionId: string) => store.emulator.charges().filter((c) => c.merchantReference.startsWith(`${subscriptionId}:`))
const tokenOf = (transactionId: string) => store.emulator.tokens().find((token) => token.transaction_id === transactionId)

test("a customer registers, adds a card without a purchase on Dintero's page inside the storefront, sees it listed, and deletes it; nothing is charged", async () => {
  const before = new Set(store.emulator.transactions().map((t) => t.id))
  await withPage(async (page) => {
    await page.goto(store.storefront.accountUrl)
    const register = page.getByRole("form", { name: "Create an account" })
    await register.getByLabel("First name").fill("Kari")
    // What a customer types is shown as text, never run as HTML.
    await register.getByLabel("Last name").fill("<Nordmann>")
    await register.getByLabel("Email").fill("kari.cards@example.com")
    await register.getByLabel("New password").fill("correct-horse-battery")
    await register.getByRole("button", { name: "Create account" }).click()
    await page.getByRole("heading", { name: "Hello, Kari <Nordmann>" }).waitFor()
    // The session is the customer's Medusa token in a cookie no script can read and no other site's form sends.
    const [session] = (await page.context().cookies()).filter((c) => c.name === "sf_customer")
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" })

    await page.getByRole("link", { name: "Saved cards" }).first().click()
    await page.getByText("No saved cards yet.").waitFor()
    await page.getByRole("button", { name: "Add a card", exact: true }).click()
    await saveCardInEmbeddedPage(page, "5555 5555 5555 4444")
    await screenshot(page, "storefront-account-add-card")

    // Dintero sends the payer back to the storefront, which completes the card setup and lists the card.
    await page.getByRole("status").getByText("MasterCard 555555******4444 is saved.").waitFor({ timeout: 60_000 })
    const row = page.getByRole("row", { name: /MasterCard 555555\*+4444/ })
    await row.getByText("12/2030").waitFor()
    await screenshot(page, "storefront-account-card-listed")

    // At Dintero: one zero-amount token transaction for the card setup, and no charge at all.
    const created = store.emulator.transactions().filter((t) => !before.has(t.id))
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({ amount: 0, payment_operation: "generate_payment_token", status: "AUTHORIZED" })
    expect(created[0].merchant_reference).toMatch(/^dcset_/)
    expect(created[0].events.filter((e) => e.event === "CAPTURE")).toEqual([])
    expect(store.emulator.charges()).toEqual([])
    expect(tokenOf(created[0].id)).toBeDefined()

    await row.getByRole("button", { name: /^Delete / }).click()
    await page.getByRole("status").getByText("The card is deleted.").waitFor()
    await page.getByText("No saved cards yet.").waitFor()
  })
})

test("a customer replaces a subscription's card with a new card added for it; the subscription pays with it from now on", async () => {
  const ola = await customerWithCard(store, "ola.newcard@example.com", CARDS.approved)
  const subscription = await adminSubscription(store, ola)
  await withPage(async (page) => {
    await logIn(page, store, ola)
    await page.getByRole("link", { name: "Subscriptions" }).first().click()
    await page.getByRole("link", { name: "1 × Coffee beans, 1 kg" }).click()
    const card = page.getByRole("row", { name: /^Card / })
    await card.getByText(/Visa 411111\*+1111/).waitFor()
    await screenshot(page, "storefront-account-subscription")

    await page.getByRole("button", { name: "Add a new card for this subscription" }).click()
    await saveCardInEmbeddedPage(page, "4012 8888 8888 1881")
    await page.getByRole("status").getByText(`It now pays subscription ${subscription.id}.`).waitFor({ timeout: 60_000 })
    await card.getByText(/Visa 401288\*+1881/).waitFor()
    await screenshot(page, "storefront-account-subscription-new-card")
  })
  const { payment_methods } = ensureOk(await ola.http.get<any>("/store/dintero/payment-methods"), "list cards")
  const added = payment_methods.find((c: any) => c.masked_pan.endsWith("1881"))
  expect((await subscriptionOf(store, subscription.id)).card_id).toBe(added.id)
  expect(chargesFor(subscription.id)).toEqual([])
})

test("a customer skips and unskips the next period, pauses and resumes, goes back to a saved card, and cancels, each from the subscription's page", async () => {
  const siri = await customerWithCard(store, "siri.manage@example.com", CARDS.approved)
  const subscription = await adminSubscription(store, siri)
  await withPage(async (page) => {
    await logIn(page, store, siri)
    // Another site's form posting to the storefront (cross-site request forgery) does not carry the session
    // cookie: the storefront asks for a login and nothing changes.
    await page.goto(store.emulator.url)
    await page.evaluate((action) => {
      const form = document.createElement("form")
      form.method = "post"
      form.action = action
      document.body.appendChild(form)
      form.submit()
    }, `${store.storefront.accountUrl}/subscriptions/${subscription.id}/cancel-now`)
    await page.waitForURL((at) => at.origin === new URL(store.storefront.url).origin && at.pathname !== "/")
    await page.waitForLoadState()
    expect((await subscriptionOf(store, subscription.id)).status).toBe("active")
    await page.getByRole("form", { name: "Log in" }).waitFor()

    await page.goto(`${store.storefront.accountUrl}/subscriptions/${subscription.id}`)
    const said = (text: string) => page.getByRole("status").getByText(text).waitFor()
    const status = page.getByRole("row", { name: /^Status / })

    await page.getByRole("button", { name: "Skip the next period" }).click()
    await said("The next period is skipped: it is not charged.")
    await page.getByText("(skipped: nothing is charged then)").waitFor()
    expect((await subscriptionOf(store, subscription.id)).skipped_periods).toHaveLength(1)
    await page.getByRole("button", { name: "Unskip the next period" }).click()
    await said("The next period is charged as usual.")
    expect((await subscriptionOf(store, subscription.id)).skipped_periods).toEqual([])

    await page.getByRole("button", { name: "Pause" }).click()
    await said("The subscription is paused: nothing is charged until you resume it.")
    await status.getByText("Paused").waitFor()
    await page.getByRole("button", { name: "Resume" }).click()
    await said("The subscription is active again.")
    await status.getByText("Active").waitFor()
    expect((await subscriptionOf(store, subscription.id)).status).toBe("active")

    // The Store API's refusal is shown with its message: paused meanwhile (by the merchant), the period of
    // this page, now stale, cannot be skipped; nothing changes.
    ensureOk(await store.admin.post(`/admin/subscriptions/${subscription.id}/pause`, {}), "admin pause")
    await page.getByRole("button", { name: "Skip the next period" }).click()
    await page.getByRole("alert").getByText(/paused/).waitFor()
    await status.getByText("Paused").waitFor()
    expect((await subscriptionOf(store, subscription.id)).skipped_periods).toEqual([])
    ensureOk(await store.admin.post(`/admin/subscriptions/${subscription.id}/resume`, {}), "admin resume")

    // Back to a card saved earlier: the customer picks it from the list.
    const second = await oneMoreCard()
    await page.reload()
    await page.getByLabel("Saved card").selectOption(second)
    await page.getByRole("button", { name: "Use this card" }).click()
    await said("The subscription now uses the card you chose.")
    expect((await subscriptionOf(store, subscription.id)).card_id).toBe(second)

    await page.getByRole("button", { name: "Cancel at the end of the period" }).click()
    await said("The subscription ends at the end of this period.")
    await status.getByText("(ends at the end of this period)").waitFor()
    await screenshot(page, "storefront-account-subscription-managed")
    expect((await subscriptionOf(store, subscription.id)).cancel_at_period_end).toBe(true)
  })
  expect(chargesFor(subscription.id)).toEqual([])

  /** One more card saved for Siri, through the Store API (a zero-amount setup paid at the emulator). */
  async function oneMoreCard(): Promise<string> {
    const { card_setup } = ensureOk(await siri.http.post<any>("/store/dintero/payment-methods/sessions", {}), "start card setup")
    await store.emulator.pay(card_setup.session_id, { card: "5105105105105100", cvc: "123" })
    const done = ensureOk(await siri.http.post<any>(`/store/dintero/payment-methods/sessions/${card_setup.id}/complete`, {}), "complete")
    return done.card_setup.card.id
  }
})

test("after a declined renewal, the card-update link of the payment-failed notice lets a person add a card without logging in: the past_due subscription is charged with it at once and is active", async () => {
  const nora = await customerWithCard(store, "nora.declined@example.com", CARDS.retryAfterDelay)
  const subscription = await adminSubscription(store, nora, { starts_at: new Date(Date.now() - 3_600_000).toISOString() })
  const { renewal } = ensureOk(await store.admin.post<any>(`/admin/subscriptions/${subscription.id}/charge`, {}), "charge")
  expect(renewal.outcome).toBe("failed")
  expect((await subscriptionOf(store, subscription.id)).status).toBe("past_due")
  const [declined] = chargesFor(subscription.id)
  expect(declined.success).toBe(false)

  // The store's e-mail channel is Medusa's local provider (LOCAL_EMAIL_NOTIFICATIONS): the notice is read back.
  const url = await cardUpdateUrlOfNotice(nora.email)
  expect(url.startsWith(`${store.storefront.url}/account/card-update?token=`)).toBe(true)

  await withPage(async (page) => {
    await page.goto(url)
    await page.getByRole("heading", { name: "Update the card of your subscription" }).waitFor()
    // The token leaves the address bar (kept in an httpOnly cookie for the page).
    expect(page.url()).toBe(`${store.storefront.url}/account/card-update`)
    await page.getByText("1 × Coffee beans, 1 kg").waitFor()
    await page.getByText("The last payment failed: it is charged again as soon as you add a card.").waitFor()
    await page.getByText("Current card: Visa ending in 3220").waitFor()
    await screenshot(page, "storefront-card-update-link")

    await page.getByRole("button", { name: "Add a new card" }).click()
    await saveCardInEmbeddedPage(page, "5555 5555 5555 4444")
    // The link's token is not handed to Dintero: the session's return URL does not carry it.
    const token = new URL(url).searchParams.get("token")!
    const linkSession = store.emulator.sessions().find((s: any) => s.url?.return_url?.includes("/account/card-update/return")) as any
    expect(linkSession).toBeDefined()
    expect(JSON.stringify(linkSession)).not.toContain(token)
    await page.getByRole("heading", { name: "Thank you: your card is updated" }).waitFor({ timeout: 60_000 })
    await page.getByText("MasterCard 555555******4444 now pays your subscription.").waitFor()
    await page.getByText("The payment that failed was charged again with it.").waitFor()
    await screenshot(page, "storefront-card-update-done")

    // The link is used up: opening it again says so.
    await page.goto(url)
    await page.getByRole("heading", { name: "This link cannot be used" }).waitFor()
    await page.getByText(/already used/).waitFor()
  })

  const charges = chargesFor(subscription.id)
  expect(charges).toHaveLength(2)
  expect(charges[1].success).toBe(true)
  const newToken = store.emulator.tokens().find((t) => t.id === charges[1].tokenId)
  expect(newToken?.card?.masked_pan ?? "").toMatch(/4444$/)
  expect(charges[1].tokenId).not.toBe(declined.tokenId)
  expect((await subscriptionOf(store, subscription.id)).status).toBe("active")
})

async function cardUpdateUrlOfNotice(email: string): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const { notifications } = ensureOk(
      await store.admin.get<any>(`/admin/notifications?channel=email&to=${encodeURIComponent(email)}&limit=5`),
      "list notifications"
    )
    const notice = notifications?.find((n: any) => n.template === "dintero-subscription-payment-failed")
    if (notice?.data?.card_update_url) return notice.data.card_update_url
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`no payment-failed notice with a card-update link was sent to ${email}`)
}

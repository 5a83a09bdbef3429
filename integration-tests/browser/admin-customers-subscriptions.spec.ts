/**
 * A merchant's saved cards and subscriptions in the admin dashboard, in headless Chromium against the
 * development store (helpers/browser-store.ts): the customer page's saved cards and their delete, the
 * Subscriptions page's overview, filters and detail with its actions. The customers, cards and subscriptions
 * are made through the Store and Admin APIs and the emulator's checkout (helpers/shoppers.ts) in `beforeAll`;
 * the browser only looks and clicks. One store boot for the file; screenshots in test-artifacts/.
 */
import { ensureOk } from "../../scripts/lib/http"
import { AdminDashboard } from "./helpers/admin-dashboard"
import { startBrowserStore, type BrowserStore } from "./helpers/browser-store"
import { launchChromium, type Browser } from "./helpers/chromium"
import { CARDS, checkout, registerShopper, subscriptionsOf, type Shopper } from "./helpers/shoppers"

jest.setTimeout(120_000)

let store: BrowserStore
let browser: Browser
const startedAt = Date.now()

/** What beforeAll made: Ola has one card paying two subscriptions, Kari two cards and two subscriptions. */
const made = {} as {
  ola: Shopper & { cardId: string; subscriptionId: string; tea: any }
  kari: Shopper & { visaId: string; mastercardId: string; subscriptionId: string; coffee: any }
}

const days = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString()

async function adminSubscription(customerId: string, cardId: string, title: string, startsInDays: number) {
  return ensureOk(
    await store.admin.post<any>("/admin/subscriptions", {
      customer_id: customerId,
      card_id: cardId,
      region_id: store.seeded.regionId,
      items: [{ title, quantity: 1, unit_amount: 14900, vat: 15 }],
      interval: "month",
      starts_at: days(startsInDays),
    }),
    `create subscription ${title}`
  ).subscription
}

const getSubscription = async (id: string) => ensureOk(await store.admin.get<any>(`/admin/subscriptions/${id}`), "get subscription").subscription

beforeAll(async () => {
  ;[store, browser] = await Promise.all([startBrowserStore("admin_customers_subscriptions"), launchChromium()])
  const booted = Date.now()

  // Ola: a subscription checkout saves his Visa and starts a monthly subscription; a paused tea subscription
  // the merchant set up later pays with the same card.
  const forOla = async () => {
    const ola = await registerShopper(store, "ola.hansen@example.com", { first_name: "Ola", last_name: "Hansen" })
    const paid = await checkout(store, ola, CARDS.visa, { interval: "month" })
    const [subscription] = await subscriptionsOf(ola)
    const tea = await adminSubscription(ola.customerId, paid.cardId, "Tea, 500 g", 20)
    ensureOk(await store.admin.post(`/admin/subscriptions/${tea.id}/pause`, {}), "pause the tea subscription")
    made.ola = { ...ola, cardId: paid.cardId, subscriptionId: subscription.id, tea }
  }
  // Kari: a subscription checkout with her Visa, then a checkout that saves a Mastercard too; a coffee
  // subscription on the Visa is due in three days.
  const forKari = async () => {
    const kari = await registerShopper(store, "kari.nordmann@example.com", { first_name: "Kari", last_name: "Nordmann" })
    const paid = await checkout(store, kari, CARDS.visa, { interval: "month" })
    const [subscription] = await subscriptionsOf(kari)
    const mastercard = await checkout(store, kari, CARDS.mastercard)
    const coffee = await adminSubscription(kari.customerId, paid.cardId, "Coffee beans, 1 kg", 3)
    made.kari = { ...kari, visaId: paid.cardId, mastercardId: mastercard.cardId, subscriptionId: subscription.id, coffee }
  }
  // Two customers' checkouts side by side: each waits mostly on Dintero's callback.
  await Promise.all([forOla(), forKari()])

  console.log(
    `browser store booted in ${((booted - startedAt) / 1000).toFixed(1)} s`,
    store.timings,
    `data through the APIs in ${((Date.now() - booted) / 1000).toFixed(1)} s`
  )
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await store?.stop()
  console.log(`admin-customers-subscriptions browser spec took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
})

test("a customer's page lists the saved card with its brand, masked number, expiry and the subscriptions it pays; deleting it names them in the confirmation, and the card is gone", async () => {
  const { ola } = made
  const [card] = ensureOk(await store.admin.get<any>(`/admin/customers/${ola.customerId}/dintero-payment-methods`), "list cards").payment_methods
  expect(card).toMatchObject({ id: ola.cardId, brand: expect.any(String), masked_pan: expect.stringMatching(/1111$/) })

  const dashboard = await AdminDashboard.loggedIn(browser, store)
  try {
    await dashboard.openCustomer(ola.customerId)
    const cards = dashboard.section("Saved cards (Dintero)")
    const row = dashboard.tableRows(cards).filter({ hasText: "•••• 1111" })
    await row.waitFor()
    const text = (await row.innerText()).replace(/\s+/g, " ")
    expect(text).toContain(`${card.brand} •••• 1111`)
    expect(text).toContain(card.expiry_date)
    expect(text).toMatch(/Subscription checkout, order #\d+/)
    // Both subscriptions it pays, with their status, linked to their pages.
    expect(text).toMatch(/active/i)
    expect(text).toMatch(/paused/i)
    const links = await row.getByRole("link").evaluateAll((anchors) => anchors.map((a) => a.getAttribute("href")))
    expect(links).toEqual(expect.arrayContaining([expect.stringContaining(ola.subscriptionId), expect.stringContaining(ola.tea.id)]))
    await dashboard.screenshot("customer-saved-cards")
    await dashboard.readmeImage(cards, "admin-customer-saved-cards")

    await row.locator('button[aria-haspopup="menu"]').click()
    await dashboard.page.getByRole("menuitem", { name: "Delete" }).click()
    const prompt = dashboard.prompt()
    await prompt.getByText("Delete a card that subscriptions use?").waitFor()
    const warning = (await prompt.innerText()).replace(/\s+/g, " ")
    expect(warning).toContain(ola.subscriptionId)
    expect(warning).toContain(ola.tea.id)
    expect(warning).toMatch(/leaves them without a card/)
    await dashboard.screenshot("customer-delete-card-prompt")
    await dashboard.confirmPrompt("Delete")

    await dashboard.waitForToast(/was deleted/)
    await dashboard.waitForText("No saved cards", cards)
    await dashboard.screenshot("customer-card-deleted")
    // Gone for the customer at checkout and for the merchant.
    expect(ensureOk(await ola.store.get<any>("/store/dintero/payment-methods"), "store cards").payment_methods).toEqual([])
    expect(ensureOk(await store.admin.get<any>(`/admin/customers/${ola.customerId}/dintero-payment-methods`), "admin cards").payment_methods).toEqual([])
  } finally {
    await dashboard.close()
  }
})

test("the Subscriptions page shows the overview, filters by status, customer and due date, and a subscription is paused, resumed, charged now and moved to another card", async () => {
  const { ola, kari } = made
  const { overview } = ensureOk(await store.admin.get<any>("/admin/subscriptions/overview"), "overview")
  expect(overview).toMatchObject({ active: 3, paused: 1, past_due: 0 })

  const dashboard = await AdminDashboard.loggedIn(browser, store)
  try {
    await dashboard.openSubscriptionsFromSidebar()
    const list = dashboard.section("Subscriptions")
    // Overview: the figures the server computed.
    const figures = dashboard.page.getByTestId("subscription-overview")
    await figures.getByText("1 paused").waitFor()
    const shown = (await figures.innerText()).replace(/\s+/g, " ")
    expect(shown).toMatch(/Active 3 1 paused/)
    expect(shown).toMatch(/Past due 0/)
    expect(shown).toMatch(new RegExp(`Canceled this month ${overview.canceled_this_month}`))
    const mrr = overview.monthly_recurring_revenue.find((row: any) => row.currency_code.toLowerCase() === "nok")
    expect(shown).toContain(new Intl.NumberFormat("en-US", { minimumFractionDigits: 2 }).format(mrr.amount / 100))
    // Ola's card was deleted (the test above): his subscriptions say so, Kari's name her card.
    await dashboard.waitForRows(list, [
      /Ola Hansen.*Dintero test T-shirt.*Card deleted/,
      /Ola Hansen.*Tea, 500 g.*Card deleted/,
      /Kari Nordmann.*Dintero test T-shirt.*Visa •••• 1111/,
      /Kari Nordmann.*Coffee beans.*Visa •••• 1111/,
    ])
    await dashboard.screenshot("subscriptions-list")
    // For the README: the overview and the list, the page's content without the empty space below it.
    await dashboard.readmeImage(figures.locator("xpath=.."), "admin-subscriptions-list")

    await dashboard.addTableFilter(list, "Status", "Paused")
    await dashboard.waitForRows(list, [/Paused.*Ola Hansen.*Tea, 500 g/])
    await dashboard.screenshot("subscriptions-filtered-paused")
    await dashboard.page.goto(dashboard.page.url()) // a fresh list, no filter
    await dashboard.addTableFilter(list, "Customer", "Kari Nordmann")
    await dashboard.waitForRows(list, [/Kari Nordmann.*Dintero test T-shirt/, /Kari Nordmann.*Coffee beans/])
    await dashboard.addTableFilter(list, "Due before", "Due within 7 days")
    await dashboard.waitForRows(list, [/Kari Nordmann.*Coffee beans/])
    await dashboard.screenshot("subscriptions-filtered-customer-due")

    // Kari's subscription from her checkout: open it from the list.
    await dashboard.page.goto(dashboard.page.url())
    await dashboard.addTableFilter(list, "Customer", "Kari Nordmann")
    await dashboard.waitForRows(list, [/Kari Nordmann.*Dintero test T-shirt/, /Kari Nordmann.*Coffee beans/])
    await dashboard.tableRows(list).filter({ hasText: "Dintero test T-shirt" }).click()
    await dashboard.page.waitForURL((url) => url.pathname.endsWith(`/subscriptions/${kari.subscriptionId}`))
    const before = await getSubscription(kari.subscriptionId)
    // The detail page's head is titled by the plan: its first line, and how many more (here the shipping).
    const [first, ...more] = before.items
    const general = dashboard.section(`${first.title}${more.length ? ` + ${more.length} more` : ""}`)
    await dashboard.waitForText("Active", general)
    await dashboard.waitForText(/Visa •••• 1111/, general)
    await dashboard.screenshot("subscription-detail")

    await dashboard.subscriptionAction("Pause")
    await dashboard.confirmPrompt("Pause")
    await dashboard.waitForToast("Subscription paused")
    await dashboard.waitForText("Paused", general)
    expect(await getSubscription(kari.subscriptionId)).toMatchObject({ status: "paused" })
    await dashboard.screenshot("subscription-paused")

    await dashboard.subscriptionAction("Resume")
    await dashboard.confirmPrompt("Resume")
    await dashboard.waitForToast("Subscription resumed")
    await dashboard.waitForText("Active", general)
    expect(await getSubscription(kari.subscriptionId)).toMatchObject({ status: "active" })

    await dashboard.subscriptionAction("Charge now")
    await dashboard.confirmPrompt("Charge now")
    await dashboard.waitForToast("Charged")
    // A merchant-initiated charge of the period's amount at Dintero, with the saved card's token.
    const charges = store.emulator.charges().filter((charge) => charge.merchantReference.startsWith(`${kari.subscriptionId}:`))
    expect(charges).toHaveLength(1)
    const period = before.items.reduce((sum: number, line: any) => sum + line.unit_amount * line.quantity, 0)
    expect(charges[0]).toMatchObject({ amount: period, success: true })
    expect(charges[0].tokenId).toBeTruthy()
    // The attempt shows on the page, approved, with its renewal order.
    const attempts = dashboard.section("Charge attempts")
    const attempt = dashboard.tableRows(attempts).first()
    await attempt.getByText("Approved").waitFor()
    expect(await attempt.innerText()).toContain(charges[0].transactionId)
    expect(await attempt.getByRole("link", { name: "View order" }).count()).toBe(1)
    await dashboard.screenshot("subscription-charged")
    // For the README: the page's main column (head, lines, charge attempts) in a window tall enough for it.
    await dashboard.readmeImage(general.locator("xpath=.."), "admin-subscription-detail", { height: 1300 })

    await dashboard.subscriptionAction("Change card")
    const drawer = dashboard.page.getByRole("dialog")
    await drawer.getByRole("radio", { name: /Mastercard •••• 4444/i }).click()
    await dashboard.screenshot("subscription-change-card")
    await drawer.getByRole("button", { name: "Save" }).click()
    await dashboard.confirmPrompt("Change card")
    await dashboard.waitForToast("Card changed")
    await dashboard.waitForText(/Mastercard •••• 4444/i, general)
    expect(await getSubscription(kari.subscriptionId)).toMatchObject({ card_id: kari.mastercardId })
    await dashboard.screenshot("subscription-card-changed")
    // Ola's subscriptions were not touched by any of this.
    expect(await getSubscription(ola.subscriptionId)).toMatchObject({ status: "active" })
  } finally {
    await dashboard.close()
  }
})

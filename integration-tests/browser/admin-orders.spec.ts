/**
 * A merchant's Dintero payments in the admin dashboard, in headless Chromium against the development store
 * (see helpers/browser-store.ts), and a customer paying an embedded checkout on the storefront side.
 * One store boot for the file; screenshots in test-artifacts/.
 */
import { AdminDashboard, placePaidOrder } from "./helpers/admin-dashboard"
import { startBrowserStore, type BrowserStore } from "./helpers/browser-store"
import { launchChromium, newContext, screenshot, type Browser } from "./helpers/chromium"

jest.setTimeout(120_000)

let store: BrowserStore
let browser: Browser
const startedAt = Date.now()

beforeAll(async () => {
  ;[store, browser] = await Promise.all([startBrowserStore("admin_orders"), launchChromium()])
  console.log(`browser store booted in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`, store.timings)
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await store?.stop()
  console.log(`admin-orders browser spec took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
})

test("an admin logs in through the dashboard's login form and lands on the orders", async () => {
  const dashboard = await AdminDashboard.open(browser, store)
  try {
    await screenshot(dashboard.page, "admin-login")
    await dashboard.logIn(store.admins.email, store.admins.password)
    await dashboard.page.getByRole("heading", { name: "Orders" }).first().waitFor()
    expect(new URL(dashboard.page.url()).pathname).toBe("/app/orders")
  } finally {
    await dashboard.close()
  }
})

test("a wrong password keeps the merchant on the login page with a message", async () => {
  const dashboard = await AdminDashboard.open(browser, store)
  try {
    await dashboard.page.locator('input[name="email"]').fill(store.admins.email)
    await dashboard.page.locator('input[name="password"]').fill("not-the-password")
    await dashboard.page.getByRole("button", { name: "Continue with Email" }).click()
    await dashboard.waitForText(/invalid email or password/i)
    expect(new URL(dashboard.page.url()).pathname).toBe("/app/login")
  } finally {
    await dashboard.close()
  }
})

test("an order paid with Dintero shows the Dintero widget with its transaction id and status; Medusa's capture button captures it", async () => {
  const { order, transactionId } = await placePaidOrder(store)
  const dashboard = await AdminDashboard.loggedIn(browser, store)
  try {
    await dashboard.openOrder(order.id, order.display_id)
    const widget = dashboard.section("Dintero")
    await dashboard.waitForText(`Transaction: ${transactionId}`, widget)
    await dashboard.waitForText("AUTHORIZED", widget)
    await dashboard.screenshot("order-dintero-authorized")

    await dashboard.captureWithMedusa()
    // Medusa's payment section shows the payment "Captured" once the capture is through, and no capture button.
    const payments = dashboard.section("Payments")
    await dashboard.waitForText("Captured", payments)
    expect(await payments.getByRole("button", { name: /^Capture/ }).count()).toBe(0)
    await dashboard.screenshot("order-dintero-captured")

    // The money moved at Dintero, not only in Medusa's page.
    const tx = store.emulator.transactions().find((t) => t.id === transactionId)!
    expect(tx.status).toBe("CAPTURED")
    // Today's widget reads the payment once, so it still says AUTHORIZED until the page loads again (issue 9:
    // the payment panel replacing it refreshes itself; its test should then drop this reload).
    await dashboard.openOrder(order.id, order.display_id)
    await dashboard.waitForText("CAPTURED", dashboard.section("Dintero"))
  } finally {
    await dashboard.close()
  }
})

test("a customer pays an embedded checkout with the unmodified Dintero Web SDK on the emulator's page, and the order is placed", async () => {
  const context = await newContext(browser)
  const page = await context.newPage()
  try {
    // The demo storefront's /checkout/embed starts a cart and embeds its Dintero session with @dintero/checkout-web-sdk.
    await page.goto(store.storefront.embeddedCheckoutUrl)
    const checkout = page.frameLocator("#dintero-checkout iframe")
    await checkout.getByLabel("Card number").fill("4111 1111 1111 1111")
    await checkout.getByLabel("Expiry (MM/YY)").fill("12/30")
    await checkout.getByRole("button", { name: /^Pay / }).waitFor()
    await screenshot(page, "storefront-embedded-checkout")
    // Enter in the last field submits with the form's first button, "Pay". (A pointer click on that button,
    // through the iframe the SDK keeps resizing to its content, did not land on a loaded 2-core machine.)
    await checkout.getByLabel("CVC").fill("123")
    await checkout.getByLabel("CVC").press("Enter")

    // The SDK follows the session's return URL; the storefront's return page completes the cart.
    await page.getByRole("heading", { name: /Order #\d+ is placed/ }).waitFor({ timeout: 60_000 })
    await screenshot(page, "storefront-order-placed")
    const transactionId = (await page.locator("code").first().textContent())!.trim()
    const tx = store.emulator.transactions().find((t) => t.id === transactionId)
    expect(tx?.status).toBe("AUTHORIZED")
  } finally {
    await context.close()
  }
})

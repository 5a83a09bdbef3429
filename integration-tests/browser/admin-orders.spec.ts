/**
 * A merchant's Dintero payments in the admin dashboard, in headless Chromium against the development store
 * (see helpers/browser-store.ts), and a customer paying an embedded checkout on the storefront side.
 * One store boot for the file; screenshots in test-artifacts/.
 */
import { AdminDashboard, majorText, placePaidOrder } from "./helpers/admin-dashboard"
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

test("an order paid with Dintero shows the Dintero panel with its transaction and status; Medusa's capture button captures it and the panel follows", async () => {
  const { order, transactionId } = await placePaidOrder(store)
  const dashboard = await AdminDashboard.loggedIn(browser, store)
  try {
    await dashboard.openOrder(order.id, order.display_id)
    const panel = dashboard.section("Dintero")
    await dashboard.waitForText(`Transaction ${transactionId}`, panel)
    await dashboard.waitForText("Authorized", panel.getByTestId("dintero-status"))
    await dashboard.screenshot("order-dintero-authorized")

    await dashboard.captureWithMedusa()
    // Medusa's payment section shows the payment "Captured" once the capture is through, and no capture button.
    const payments = dashboard.section("Payments")
    await dashboard.waitForText("Captured", payments)
    expect(await payments.getByRole("button", { name: /^Capture/ }).count()).toBe(0)
    // The money moved at Dintero, not only in Medusa's page.
    const tx = store.emulator.transactions().find((t) => t.id === transactionId)!
    expect(tx.status).toBe("CAPTURED")
    // The panel reads Dintero again after Medusa's own capture, without the page being loaded again.
    await dashboard.waitForText("Captured", dashboard.section("Dintero").getByTestId("dintero-status"))
    await dashboard.screenshot("order-dintero-captured")
  } finally {
    await dashboard.close()
  }
})

test("a merchant captures part of a Dintero payment from the panel, sees it refresh, then captures a last part marked final, which releases the rest", async () => {
  const { order, transactionId } = await placePaidOrder(store)
  const dashboard = await AdminDashboard.loggedIn(browser, store)
  try {
    await dashboard.openOrder(order.id, order.display_id)
    const panel = dashboard.section("Dintero")
    await dashboard.waitForText("Authorized", panel.getByTestId("dintero-status"))
    const authorized = store.emulator.transactions().find((t) => t.id === transactionId)!.amount
    const part = Math.floor(authorized / 2)

    await panel.getByTestId("dintero-capture-open").click()
    const amount = dashboard.page.getByTestId("dintero-capture-amount")
    await amount.fill((part / 100).toFixed(2))
    await dashboard.screenshot("order-dintero-capture-drawer")
    await dashboard.readmeImage(dashboard.page.getByRole("dialog"), "admin-capture-drawer")
    await dashboard.page.getByTestId("dintero-capture-submit").click()

    await dashboard.waitForText("Partially captured", panel.getByTestId("dintero-status"))
    let tx = store.emulator.transactions().find((t) => t.id === transactionId)!
    expect(tx.status).toBe("PARTIALLY_CAPTURED")
    expect(tx.events.filter((e) => e.event === "CAPTURE").map((e) => e.amount)).toEqual([part])
    await dashboard.screenshot("order-dintero-part-captured")

    // A Dintero PSP card cannot be voided after a part-capture, so the panel offers no release; its last
    // capture is marked final instead (final_capture), which gives the rest back to the customer.
    expect(await panel.getByTestId("dintero-release-open").isDisabled()).toBe(true)
    const last = Math.floor(authorized / 4)
    await panel.getByTestId("dintero-capture-open").click()
    await dashboard.page.getByTestId("dintero-capture-amount").fill((last / 100).toFixed(2))
    const final = dashboard.page.locator("#dintero-capture-final")
    await final.click()
    await dashboard.page.locator('#dintero-capture-final[data-state="checked"]').waitFor()
    await dashboard.page.getByTestId("dintero-capture-submit").click()

    await dashboard.waitForText("Captured", panel.getByTestId("dintero-status"))
    tx = store.emulator.transactions().find((t) => t.id === transactionId)!
    expect(tx.events.filter((e) => e.event === "CAPTURE").map((e) => e.amount)).toEqual([part, last])
    expect(tx.events.some((e) => e.event === "VOID")).toBe(true)
    await dashboard.screenshot("order-dintero-rest-released")
  } finally {
    await dashboard.close()
  }
})

test("on a Vipps payment a merchant captures part from the panel, refunds part of it, and releases the rest behind the panel's prompt; Dintero and the panel agree at each step", async () => {
  const { order, transactionId } = await placePaidOrder(store, { productType: "vipps" })
  const tx = () => store.emulator.transactions().find((t) => t.id === transactionId)!
  const amounts = (event: string) => tx().events.filter((e) => e.event === event).map((e) => e.amount)
  const dashboard = await AdminDashboard.loggedIn(browser, store)
  try {
    await dashboard.openOrder(order.id, order.display_id)
    const panel = dashboard.section("Dintero")
    const status = panel.getByTestId("dintero-status")
    await dashboard.waitForText("Authorized", status)
    await dashboard.waitForText("Vipps", panel)
    const authorized = tx().amount
    const part = 40_000
    const refunded = 10_000
    const rest = authorized - part

    await dashboard.captureFromPanel(part)
    await dashboard.waitForText("Partially captured", status)
    expect(amounts("CAPTURE")).toEqual([part])
    expect(await dashboard.panelAmount("Captured")).toContain(majorText(part))
    expect(await dashboard.panelAmount("Still capturable")).toContain(majorText(rest))

    // Medusa's own "Refund" (the payment's menu) is offered only for a payment captured in full: the panel's is
    // the merchant's way to refund this one.
    await dashboard.section("Payments").locator('button[aria-haspopup="menu"]').first().click()
    expect(await dashboard.page.getByRole("menuitem", { name: "Refund" }).isDisabled()).toBe(true)
    await dashboard.page.keyboard.press("Escape")
    await dashboard.page.getByRole("menu").waitFor({ state: "hidden" })

    await dashboard.refundFromPanel(refunded)
    await dashboard.waitForText("Partially captured refunded", status)
    expect(amounts("REFUND")).toEqual([refunded])
    expect(await dashboard.panelAmount("Refunded")).toContain(majorText(refunded))
    // Medusa recorded the refund too: its Payments section lists it without a reload.
    await dashboard.waitForText(new RegExp(majorText(refunded).replace(".", "\\.")), dashboard.section("Payments"))
    await dashboard.screenshot("order-dintero-vipps-refunded")

    // Vipps can release the rest after a part-capture (a void of the remainder); the prompt names the amount.
    await panel.getByTestId("dintero-release-open").click()
    const prompt = dashboard.page.getByRole("alertdialog")
    await prompt.getByText(majorText(rest), { exact: false }).first().waitFor()
    await dashboard.screenshot("order-dintero-release-prompt")
    await prompt.getByRole("button", { name: /^Release / }).click()
    await dashboard.waitForText("Partially refunded", status)
    expect(amounts("VOID")).toEqual([rest])
    expect(tx().status).toBe("PARTIALLY_REFUNDED")
    expect(await dashboard.panelAmount("Released")).toContain(majorText(rest))
    expect(await dashboard.panelAmount("Still capturable")).toContain(majorText(0))
    // Nothing is left to capture or release.
    expect(await panel.getByTestId("dintero-capture-open").isDisabled()).toBe(true)
    expect(await panel.getByTestId("dintero-release-open").isDisabled()).toBe(true)
    // The event history lists the three operations with their amounts, made by Medusa.
    const rows = (await panel.getByTestId("dintero-event").allInnerTexts()).map((row) => row.replace(/\s+/g, " "))
    for (const [label, amount] of [["Captured", part], ["Refunded", refunded], ["Voided", rest]] as const) {
      expect(rows.some((row) => row.startsWith(label) && row.includes(majorText(amount)))).toBe(true)
    }
    await dashboard.screenshot("order-dintero-vipps-released")
    await dashboard.readmeImage(panel, "admin-order-panel")
  } finally {
    await dashboard.close()
  }
})

test("a capture the server refuses shows its message in the drawer: more than is left is refused before sending, and a capture made meanwhile elsewhere is refused by the server with how much is left", async () => {
  const { order, payment, transactionId } = await placePaidOrder(store)
  const captures = () => store.emulator.transactions().find((t) => t.id === transactionId)!.events.filter((e) => e.event === "CAPTURE").map((e) => e.amount)
  const dashboard = await AdminDashboard.loggedIn(browser, store)
  try {
    await dashboard.openOrder(order.id, order.display_id)
    const panel = dashboard.section("Dintero")
    await dashboard.waitForText("Authorized", panel.getByTestId("dintero-status"))
    const authorized = store.emulator.transactions().find((t) => t.id === transactionId)!.amount

    // More than the authorization: the drawer says how much is left and sends nothing.
    await panel.getByTestId("dintero-capture-open").click()
    const amount = dashboard.page.getByTestId("dintero-capture-amount")
    await amount.fill(majorText(authorized + 100))
    await amount.blur()
    await dashboard.waitForText(new RegExp(`At most .*${majorText(authorized).replace(".", "\\.")}.* can still be captured`))
    expect(await dashboard.page.getByTestId("dintero-capture-submit").isDisabled()).toBe(true)
    await dashboard.screenshot("order-dintero-capture-too-much")

    // The whole amount, while another member of staff captures part through the API: the page did not know,
    // the server refuses, and the drawer shows its message as it is.
    await amount.fill(majorText(authorized))
    const meanwhile = await store.admin.post(`/admin/dintero/payments/${payment.id}/capture`, { amount: 100 })
    expect(meanwhile.status).toBe(200)
    await dashboard.page.getByTestId("dintero-capture-submit").click()
    const message = await dashboard.waitForToast(/can still be captured/)
    expect(message).toContain(`At most ${(authorized - 10_000) / 100} NOK can still be captured from payment ${payment.id}`)
    await dashboard.screenshot("order-dintero-capture-refused")
    expect(captures()).toEqual([10_000])
    // The drawer stays open with the amount, for the merchant to correct.
    expect(await amount.inputValue()).toBe(majorText(authorized))
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

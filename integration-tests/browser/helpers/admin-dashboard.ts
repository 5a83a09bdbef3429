/**
 * Page objects for Medusa's admin dashboard and the plugin's screens in it, for the browser suite.
 *
 * How to extend it for a new screen (one spec file per area, e.g. integration-tests/browser/subscriptions.spec.ts):
 *  - Boot once per spec file: `store = await startBrowserStore("subscriptions")` and
 *    `browser = await launchChromium()` in `beforeAll`, `store.stop()` and `browser.close()` in `afterAll`.
 *  - Make the data through the HTTP APIs (`store.admin`, `store.shop`, `placePaidOrder` below): the browser is
 *    for what a merchant sees and clicks, not for setting the scene.
 *  - `const dashboard = await AdminDashboard.loggedIn(browser, store)`; then add a method here per thing a
 *    merchant does on the new screen (`openSubscription(id)`, `pauseSubscription()`…), finding elements the
 *    way a person does: by role and visible text (`getByRole("button", { name: "Pause" })`), inside the
 *    section named by its heading (`section("Dintero")`). Give each widget a `Container` with a heading; find
 *    nothing else by CSS class, which is styling, not the page's interface.
 *  - Wait for what the merchant waits for (`expect(locator).toBeVisible()`-style waits through
 *    `locator.waitFor()` / `waitForText`), never for a fixed time.
 *  - `dashboard.screenshot("subscriptions-list")` after each screen: test-artifacts/<name>.png.
 */
import { ensureOk, type StoreHttp } from "../../../scripts/lib/http"
import type { SeededStore } from "../../../scripts/lib/seed-store"
import type { DinteroEmulator } from "../../../scripts/demo/dintero"
import { completeCartOnReturn } from "../../../scripts/lib/store-checkout"
import { startDinteroCheckout } from "../../helpers/dintero-checkout"
import type { BrowserStore } from "./browser-store"
import { newContext, readmeImage, screenshot, type Browser, type BrowserContext, type Locator, type Page } from "./chromium"

export class AdminDashboard {
  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly baseUrl: string
  ) {}

  /** A new browser context (its own session) on the dashboard's login page. */
  static async open(browser: Browser, store: Pick<BrowserStore, "url">): Promise<AdminDashboard> {
    const context = await newContext(browser)
    const page = await context.newPage()
    const dashboard = new AdminDashboard(page, context, `${store.url}/app`)
    await page.goto(`${dashboard.baseUrl}/login`)
    return dashboard
  }

  /** `open` then `logIn` with the store's admin user. */
  static async loggedIn(browser: Browser, store: Pick<BrowserStore, "url" | "admins">): Promise<AdminDashboard> {
    const dashboard = await AdminDashboard.open(browser, store)
    await dashboard.logIn(store.admins.email, store.admins.password)
    return dashboard
  }

  /** Fills the dashboard's email/password form and waits for the page it lands on (the order list). */
  async logIn(email: string, password: string): Promise<void> {
    const { page } = this
    await page.locator('input[name="email"]').fill(email)
    await page.locator('input[name="password"]').fill(password)
    await page.getByRole("button", { name: "Continue with Email" }).click()
    await page.waitForURL((url) => !url.pathname.endsWith("/login"))
  }

  async goto(pathInApp: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}${pathInApp}`)
  }

  /** The order's detail page, once its summary has rendered. */
  async openOrder(orderId: string, displayId?: number): Promise<void> {
    await this.goto(`/orders/${orderId}`)
    if (displayId !== undefined) await this.page.getByText(`#${displayId}`).first().waitFor()
    await this.section("Payments").waitFor()
  }

  /**
   * A section of a detail page, found by its heading: the `Container` (@medusajs/ui, the card every section of
   * Medusa's pages and every widget sits in) around that heading. `section("Dintero")` is the plugin's order
   * widget, `section("Payments")` Medusa's payment section of the order.
   */
  section(heading: string) {
    const title = JSON.stringify(heading)
    return this.page
      .locator(`xpath=//*[self::h1 or self::h2 or self::h3][normalize-space(.)=${title}]/ancestor::div[contains(@class,"shadow-elevation-card-rest")][1]`)
      .first()
  }

  /** Medusa's own "Capture payment" button on the order page, and its confirmation prompt. */
  async captureWithMedusa(): Promise<void> {
    const { page } = this
    await this.section("Payments").getByRole("button", { name: /^Capture/ }).click()
    const prompt = page.getByRole("alertdialog")
    await prompt.waitFor()
    await prompt.getByRole("button", { name: "Confirm" }).click()
    await page.getByText(/successfully captured/).waitFor()
  }

  /**
   * The Dintero panel's "Capture an amount" drawer: opens it, enters `amountMinor` (minor units, shown as
   * major), optionally marks it final, and submits. Returns without waiting for the outcome: the caller waits
   * for what the merchant waits for (the status, a toast, an error in the drawer).
   */
  async captureFromPanel(amountMinor: number, options: { final?: boolean } = {}): Promise<void> {
    const { page } = this
    await this.section("Dintero").getByTestId("dintero-capture-open").click()
    await page.getByTestId("dintero-capture-amount").fill(majorText(amountMinor))
    if (options.final) {
      await page.locator("#dintero-capture-final").click()
      await page.locator('#dintero-capture-final[data-state="checked"]').waitFor()
    }
    await page.getByTestId("dintero-capture-submit").click()
  }

  /** The Dintero panel's "Refund an amount" drawer, as `captureFromPanel`. */
  async refundFromPanel(amountMinor: number): Promise<void> {
    const { page } = this
    await this.section("Dintero").getByTestId("dintero-refund-open").click()
    await page.getByTestId("dintero-refund-amount").fill(majorText(amountMinor))
    await page.getByTestId("dintero-refund-submit").click()
  }

  /** The Dintero panel's "Release the rest" and its confirmation prompt, confirmed. */
  async releaseRestFromPanel(): Promise<void> {
    const { page } = this
    await this.section("Dintero").getByTestId("dintero-release-open").click()
    const prompt = page.getByRole("alertdialog")
    await prompt.waitFor()
    await prompt.getByRole("button", { name: /^Release / }).click()
    await prompt.waitFor({ state: "hidden" })
  }

  /** The text of one of the panel's amounts ("Captured", "Still capturable"…), e.g. "NOK 400.00". */
  async panelAmount(label: string): Promise<string> {
    const testId = `dintero-amount-${label.toLowerCase().replace(/ /g, "-")}`
    return ((await this.section("Dintero").getByTestId(testId).textContent()) ?? "").replace(/\s+/g, " ").trim()
  }

  /** A toast (Medusa's `toast`, sonner) with `text`, e.g. the server's message for a refused action. */
  async waitForToast(text: string | RegExp): Promise<string> {
    const toast = this.page.locator("[data-sonner-toast]").filter({ hasText: text }).first()
    await toast.waitFor()
    return ((await toast.textContent()) ?? "").trim()
  }

  /** The customer's detail page, once the plugin's saved-cards section has rendered. */
  async openCustomer(customerId: string): Promise<void> {
    await this.goto(`/customers/${customerId}`)
    await this.section("Saved cards (Dintero)").waitFor()
  }

  /** The Subscriptions page through its sidebar entry, as a merchant finds it. */
  async openSubscriptionsFromSidebar(): Promise<void> {
    await this.page.getByRole("link", { name: "Subscriptions" }).first().click()
    await this.page.waitForURL((url) => url.pathname.endsWith("/subscriptions"))
    await this.section("Subscriptions").getByRole("row").nth(1).waitFor()
  }

  /** The data rows (not the header) of a table inside `within`. */
  tableRows(within = this.page.locator("body")) {
    return within.getByRole("row").filter({ has: this.page.getByRole("cell") })
  }

  /**
   * Waits until the table's rows are those whose text matches `expected` (one pattern per row, any order):
   * a filtered list keeps its previous rows on screen until the new page arrives, as Medusa's tables do.
   */
  async waitForRows(within: ReturnType<AdminDashboard["section"]>, expected: RegExp[], timeoutMs = 20_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs
    let texts: string[] = []
    for (;;) {
      texts = (await this.tableRows(within).allInnerTexts()).map((text) => text.replace(/\s+/g, " "))
      const matches = texts.length === expected.length && expected.every((pattern) => texts.some((text) => pattern.test(text)))
      if (matches) return texts
      if (Date.now() > deadline) throw new Error(`rows ${JSON.stringify(texts)} are not ${expected.map(String).join(", ")}`)
      await this.page.waitForTimeout(100)
    }
  }

  /**
   * Adds a filter of a Medusa DataTable in `within` from its filter menu (the funnel, the toolbar's first
   * menu button: it has a tooltip, no label) and ticks `option` of it, then closes the option list as a
   * person does, with Escape.
   */
  async addTableFilter(within: ReturnType<AdminDashboard["section"]>, filter: string, option: string): Promise<void> {
    const { page } = this
    await within.locator('button[aria-haspopup="menu"]').first().click()
    await page.getByRole("menuitem", { name: filter }).click()
    const options = page.getByRole("dialog").last()
    await options.getByText(option, { exact: true }).first().click()
    // The filter's pill in the toolbar shows the value once the table holds it; closing the list before
    // that drops a new filter that has no value yet. (The open list is modal: the page behind it is
    // aria-hidden, hence includeHidden.)
    await within.getByRole("button", { name: option, exact: true, includeHidden: true }).waitFor()
    // Escape closes the list; on a loaded machine a first Escape can land while the list is still settling
    // (it re-renders as the table takes the value), so press again until it is closed.
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press("Escape")
      try {
        await options.waitFor({ state: "hidden", timeout: 2_000 })
        return
      } catch (error) {
        if (attempt >= 5) throw error
      }
    }
  }

  /** The confirmation prompt (Medusa's `usePrompt`) now open. */
  prompt() {
    return this.page.getByRole("alertdialog")
  }

  /** Confirms the open prompt with its `button` and waits until it closes. */
  async confirmPrompt(button: string | RegExp): Promise<void> {
    const prompt = this.prompt()
    await prompt.getByRole("button", { name: button }).click()
    await prompt.waitFor({ state: "hidden" })
  }

  /** An action from the subscription detail page's menu ("Pause", "Charge now", "Change card"…). */
  async subscriptionAction(name: string): Promise<void> {
    await this.page.getByRole("button", { name: "Subscription actions" }).click()
    await this.page.getByRole("menuitem", { name }).click()
  }

  /**
   * Waits until `text` shows inside `within` (a section, or the page): a string is an element's whole text
   * (so "Captured" does not match "ready to be captured"), a RegExp any part of it.
   */
  async waitForText(text: string | RegExp, within = this.page.locator("body")): Promise<void> {
    await within.getByText(text, { exact: typeof text === "string" }).first().waitFor()
  }

  screenshot(name: string): Promise<string> {
    return screenshot(this.page, name)
  }

  /**
   * For the README: `target` (a section, a drawer) as docs/images/<name>.jpg when README_SCREENSHOTS=1, once
   * the toasts are gone; `height` makes the window that tall for the picture (a long page's column).
   */
  async readmeImage(target: Locator, name: string, options: { height?: number } = {}): Promise<string | undefined> {
    if (process.env.README_SCREENSHOTS !== "1") return undefined
    await this.page.locator("[data-sonner-toast]").first().waitFor({ state: "detached", timeout: 20_000 })
    const viewport = this.page.viewportSize()
    if (options.height && viewport) await this.page.setViewportSize({ ...viewport, height: options.height })
    try {
      return await readmeImage(target, name)
    } finally {
      if (options.height && viewport) await this.page.setViewportSize(viewport)
    }
  }

  close(): Promise<void> {
    return this.context.close()
  }
}

/**
 * A guest's order paid by card (or `options.productType`) on Dintero's page, through the Store API and the emulator (no browser): the
 * order, Medusa's payment and the Dintero transaction id. Waits until Dintero's callback has reached the store,
 * so pages show the payment as Medusa finally holds it.
 */
export async function placePaidOrder(
  store: {
    admin: StoreHttp
    shop: StoreHttp
    seeded: SeededStore
    emulator: DinteroEmulator
  },
  /** `productType: "vipps"` (or another method the emulator's page offers) pays with it instead of a card. */
  options: { productType?: string } = {}
) {
  const { cart, dinteroSessionId } = await startDinteroCheckout(store.shop, store.seeded)
  const paid = await store.emulator.pay(dinteroSessionId, options.productType ? { productType: options.productType as any } : { card: "4111111111111111" })
  if (!paid.transactionId) throw new Error(`placePaidOrder: the emulator declined the payment (${paid.error})`)
  const completed = ensureOk(await completeCartOnReturn(store.shop, cart.id), "complete cart")
  if (completed.type !== "order") throw new Error(`placePaidOrder: no order (${JSON.stringify(completed).slice(0, 200)})`)
  await store.emulator.waitForCallbacks(
    (attempt) => attempt.transactionId === paid.transactionId && attempt.outcome === "delivered",
    30_000
  )
  const fields = encodeURIComponent("id,display_id,*payment_collections,*payment_collections.payments")
  const { order } = ensureOk(await store.admin.get(`/admin/orders/${completed.order.id}?fields=${fields}`), "retrieve order")
  return { order, payment: order.payment_collections[0].payments[0], transactionId: paid.transactionId }
}

/** Minor units as the amount a merchant types (two decimals: the suite's store sells in NOK). */
export function majorText(minor: number): string {
  return (minor / 100).toFixed(2)
}

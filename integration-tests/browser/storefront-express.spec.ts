/**
 * Dintero Checkout Express on the demo storefront's cart page, in headless Chromium against the development store
 * (helpers/browser-store.ts) and the unmodified @dintero/checkout-web-sdk: the shopper changes a quantity on the page
 * while the checkout is open (lockSession → cart change → the plugin's sync → refreshSession), then gives the
 * address, the delivery and a discount code inside Dintero's checkout, pays, and lands on the order confirmation.
 * One store boot; screenshots in test-artifacts/. Seeded store: 299 NOK a unit + 25 % MVA, 49 NOK + MVA shipping.
 */
import { ensureOk } from "../../scripts/lib/http"
import { createPercentOffCode } from "../../scripts/lib/seed-store"
import { startBrowserStore, type BrowserStore } from "./helpers/browser-store"
import { launchChromium, newContext, screenshot, type Browser } from "./helpers/chromium"

jest.setTimeout(120_000)

let store: BrowserStore
let browser: Browser
const startedAt = Date.now()

beforeAll(async () => {
  ;[store, browser] = await Promise.all([startBrowserStore("storefront_express"), launchChromium()])
  console.log(`browser store booted in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`, store.timings)
  await createPercentOffCode(store.admin, "EXPRESS10", 10)
}, 400_000)

afterAll(async () => {
  await browser?.close()
  await store?.stop()
  console.log(`storefront-express browser spec took ${((Date.now() - startedAt) / 1000).toFixed(1)} s`)
})

test("a shopper pays an embedded express checkout from the cart page: a quantity changed on the page reaches Dintero, the address, delivery and discount code given in Dintero's checkout are the order's, and the order's total is what Dintero charged", async () => {
  const context = await newContext(browser)
  const page = await context.newPage()
  try {
    await page.goto(store.storefront.cartUrl)
    await page.getByText("Your cart is empty.").waitFor()
    await page.getByRole("button", { name: /^Add .* to cart$/ }).first().click()
    await page.getByRole("status").getByText("Added to your cart.").waitFor()
    await page.getByTestId("cart-total").getByText("373.75 NOK").waitFor()

    await page.getByRole("button", { name: "Express checkout" }).click()
    const dintero = page.frameLocator("#dintero-checkout iframe")
    await dintero.getByTestId("order-total").getByText("373.75 NOK").waitFor()
    const cartId = (await context.cookies()).find((c) => c.name === "sf_cart")!.value
    const session = () => store.emulator.sessions().find((s: any) => s.order?.merchant_reference_2 === cartId && s.express) as any
    const sid = session().id as string
    expect(session().order.amount).toBe(37375)

    // The quantity changes on the page while Dintero's checkout is open: the page locks the session, the cart
    // changes, the plugin PUTs it (releasing the lock), and the checkout shows the new total.
    await page.getByRole("spinbutton", { name: "Quantity" }).fill("2")
    await page.getByRole("button", { name: "Update" }).click()
    await page.getByRole("status").getByText("Dintero shows the new total: 747.50 NOK").waitFor()
    await page.getByTestId("cart-total").getByText("747.50 NOK").waitFor()
    await page.locator("[data-line-total]").getByText("747.50 NOK").waitFor()
    await dintero.getByTestId("order-total").getByText("747.50 NOK").waitFor()
    expect(session()).toMatchObject({ id: sid, order: { amount: 74750 } })
    const put = store.emulator.requests().filter((r) => r.method === "PUT" && r.path === `/v1/sessions/${sid}`)
    expect(put.map((r) => [r.status, r.query.update_without_lock])).toEqual([[200, undefined]])
    await screenshot(page, "storefront-express-quantity")

    // Inside Dintero's checkout: the address (Enter submits; see emulator/README.md on the keyboard), then the
    // delivery Medusa offers for it.
    const address = { "first-name": "Kari", "last-name": "Nordmann", "address-line": "Storgata 1", "postal-code": "0155", "postal-place": "Oslo", country: "NO", email: "kari.express@example.com", "phone-number": "+4799999999" }
    for (const [field, value] of Object.entries(address)) await dintero.getByTestId(`express-address-${field}`).fill(value)
    await dintero.getByTestId("express-address-phone-number").press("Enter")
    const option = dintero.getByTestId(`express-shipping-option-${store.seeded.shippingOptionId}`)
    await dintero.getByTestId(`express-shipping-option-amount-${store.seeded.shippingOptionId}`).getByText("61.25 NOK").waitFor()
    await option.focus()
    await option.press("Space")
    await option.press("Enter")
    await dintero.getByTestId("order-total").getByText("808.75 NOK").waitFor()

    // A code the store does not know is refused with the store's own message; a valid one lowers the total.
    await dintero.getByTestId("express-discount-code").fill("NOPE")
    await dintero.getByTestId("express-discount-code").press("Enter")
    await dintero.getByTestId("checkout-error").getByText(/NOPE/).waitFor()
    const refusal = store.emulator.callbacks().find((c: any) => c.kind === "express_discount_codes" && c.status !== 200) as any
    expect(refusal?.status).toBe(400)
    expect(await dintero.getByTestId("checkout-error").textContent()).toContain(refusal.response.error.message)
    await dintero.getByTestId("order-total").getByText("808.75 NOK").waitFor()
    await dintero.getByTestId("express-discount-code").fill("EXPRESS10")
    await dintero.getByTestId("express-discount-code").press("Enter")
    await dintero.getByTestId("express-discount-applied").getByText("EXPRESS10").waitFor()
    // 747.50 − 10 % + 61.25 shipping
    await dintero.getByTestId("order-total").getByText("734.00 NOK").waitFor()
    await screenshot(page, "storefront-express-dintero")

    await dintero.locator("#card").fill("4111111111111111")
    await dintero.locator("#expiry").fill("12/30")
    await dintero.locator("#cvc").fill("123")
    await dintero.locator("#cvc").press("Enter")

    // The SDK follows the session's return URL: the storefront completes the cart with the plugin's express route.
    await page.getByRole("heading", { name: /^Takk! Order #\d+ is placed$/ }).waitFor({ timeout: 60_000 })
    const summary = page.getByTestId("order-summary")
    await summary.getByRole("row", { name: "Shipping: Standard shipping (Norway) 61.25 NOK" }).waitFor()
    await summary.getByRole("row", { name: "Discount (EXPRESS10) −74.75 NOK" }).waitFor()
    await summary.getByRole("row", { name: "Total 734.00 NOK" }).waitFor()
    await summary.getByRole("row", { name: "Ship to Kari Nordmann, Storgata 1, 0155 Oslo, NO" }).waitFor()
    await screenshot(page, "storefront-express-order-placed")

    const transactionId = (await page.locator("code").first().textContent())!.trim()
    const orderId = /\/orders\/([^/"]+)$/.exec((await page.getByRole("link", { name: /\/orders\// }).getAttribute("href"))!)![1]
    const tx = store.emulator.transactions().find((t) => t.id === transactionId) as any
    const { order } = ensureOk(
      await store.admin.get<any>(`/admin/orders/${orderId}?fields=id,total,email,*shipping_methods,*shipping_address,*items,*items.adjustments`),
      "retrieve order"
    )

    // Dintero charged what the order totals: the items (discounted) plus the delivery, which is one of its items.
    expect(tx).toMatchObject({ status: "AUTHORIZED", amount: 73400, currency: "NOK" })
    const shippingLine = (tx.items as any[]).find((item) => item.type === "shipping")
    expect(shippingLine).toMatchObject({ amount: 6125 })
    expect((tx.items as any[]).reduce((sum, item) => sum + item.amount, 0)).toBe(tx.amount)
    expect(Math.round(Number(order.total) * 100)).toBe(tx.amount)

    expect(order.shipping_methods).toEqual([expect.objectContaining({ shipping_option_id: store.seeded.shippingOptionId })])
    expect(order.shipping_address).toMatchObject({ first_name: "Kari", last_name: "Nordmann", address_1: "Storgata 1", postal_code: "0155", city: "Oslo", country_code: "no" })
    expect(order.email).toBe("kari.express@example.com")
    expect(order.items).toEqual([expect.objectContaining({ quantity: 2, adjustments: [expect.objectContaining({ code: "EXPRESS10" })] })])
  } finally {
    await context.close()
  }
})

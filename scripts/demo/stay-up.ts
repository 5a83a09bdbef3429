/** What the demo prints and serves when it stays up for a person to look around. */
import type { StoreHttp } from "../lib/http"
import type { SeededStore } from "../lib/seed-store"
import { startCheckout, type PlacedOrder } from "./checkout"
import { TEST_CARD, type DinteroEmulator } from "./dintero"
import { color, note, section, step } from "./print"
import { rel } from "./processes"
import { RETURN_PATH, startStorefront, type Storefront } from "./storefront"
import type { DemoCustomer } from "./subscription"

export async function stayUp(opts: {
  storeUrl: string
  storefrontPort: number
  shop: StoreHttp
  seeded: SeededStore
  emulator: DinteroEmulator
  placed: PlacedOrder
  admin: { email: string; password: string }
  customer: DemoCustomer
  logs: string[]
  onStop: (name: string, stop: () => Promise<void>) => void
}): Promise<void> {
  const { storeUrl, shop, seeded, emulator, placed, admin, customer } = opts

  const { storefront, checkoutUrl } = await step(
    "Prepare a checkout to try by hand",
    async () => {
      const storefront: Storefront = await startStorefront({
        port: opts.storefrontPort,
        store: shop,
        seeded,
        adminUrl: `${storeUrl}/app`,
        dinteroEndpoint: emulator.url,
      })
      opts.onStop("demo storefront", storefront.close)
      const returnUrl = (cartId: string) => `${storefront.url}${RETURN_PATH}?cart_id=${encodeURIComponent(cartId)}`
      const { checkoutUrl } = await startCheckout(shop, seeded, { quantity: 1, returnUrl })
      return { storefront, checkoutUrl }
    },
    ({ storefront }) => `New cart with a Dintero session; Dintero sends the payer back to ${storefront.url}${RETURN_PATH}`
  )

  section("The demo store is up")
  const rows: Array<[string, string]> = [
    ["Admin dashboard", `${storeUrl}/app  (log in as ${admin.email} / ${admin.password})`],
    ["Order just placed", `${storeUrl}/app/orders/${placed.orderId}  (#${placed.displayId})`],
    ["Store API", `${storeUrl}/store  (header x-publishable-api-key: ${seeded.publishableKey})`],
    ["Dintero emulator", `${emulator.url}  (API ${emulator.baseUrl}, state at ${emulator.url}/__emulator/state)`],
    ["Hosted checkout", checkoutUrl],
    ["", `pay with ${TEST_CARD}, any future expiry, any CVC; the return page shows the new order`],
    ["Another checkout", `${storefront.newCheckoutUrl}  (redirect)`],
    ["", `${storefront.embeddedCheckoutUrl}  (embedded with @dintero/checkout-web-sdk)`],
    ["Express checkout", `${storefront.cartUrl}  (cart page: add a product, "Express checkout"; address, delivery and discount code in Dintero)`],
    ["Customer account", `${storefront.accountUrl}  (log in as ${customer.email} / ${customer.password})`],
    ["", "saved cards (add one without a purchase), subscriptions (pause, skip, cancel, change card)"],
    ...(customer.cardUpdateUrl ? ([["Card-update link", `${customer.cardUpdateUrl}  (from the payment-failed notice; no login, once)`]] as Array<[string, string]>) : []),
    ["Logs", opts.logs.map(rel).join(", ")],
  ]
  for (const [label, value] of rows) note(`${color.bold(label.padEnd(18))}${value}`)
  console.log(`\n  Try: curl -H "x-publishable-api-key: ${seeded.publishableKey}" ${storeUrl}/store/products`)
  console.log(`\n  ${color.yellow("Press Ctrl-C to stop the store and the emulator.")}`)
}

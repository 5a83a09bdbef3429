/** The customer's side: a guest checkout through the Store API, paid on Dintero's hosted page. */
import { ensureOk, type StoreHttp } from "../lib/http"
import type { SeededStore } from "../lib/seed-store"
import { completeCartOnReturn, initiatePaymentSession, prepareCart, retrieveCart } from "../lib/store-checkout"
import { DINTERO_PROVIDER_ID, TEST_CARD, transactionSummary, type DinteroEmulator } from "./dintero"
import { DemoError, nok, nokFromMinor, section, step } from "./print"

const CUSTOMER_EMAIL = "kari.nordmann@example.com"

export type PlacedOrder = { orderId: string; displayId: number; total: number; currency: string; transactionId: string }

/** A cart with items, address and shipping, plus a Dintero payment session: what a storefront has before redirecting. */
export async function startCheckout(
  store: StoreHttp,
  seeded: SeededStore,
  opts: { quantity?: number; returnUrl?: (cartId: string) => string } = {}
) {
  const { cart, paymentCollection } = await prepareCart(store, {
    regionId: seeded.regionId,
    variantId: seeded.variantId,
    quantity: opts.quantity ?? 2,
    email: CUSTOMER_EMAIL,
  })
  // A storefront may name its own return page (same origin as the configured one), e.g. with the cart id.
  const data = opts.returnUrl ? { return_url: opts.returnUrl(cart.id) } : undefined
  const { paymentSession } = await initiatePaymentSession(store, paymentCollection.id, DINTERO_PROVIDER_ID, data)
  return { cart, ...dinteroSessionOf(paymentSession) }
}

/** What the plugin hands the storefront: Dintero's session id and its hosted checkout URL. */
function dinteroSessionOf(paymentSession: any): { dinteroSessionId: string; checkoutUrl: string } {
  const dintero = paymentSession?.data?.dintero
  if (!dintero?.session_id || !dintero?.checkout_url) {
    throw new DemoError("the payment session carries no Dintero session", [JSON.stringify(paymentSession?.data ?? paymentSession)])
  }
  return { dinteroSessionId: dintero.session_id, checkoutUrl: dintero.checkout_url }
}

/** Completes the cart as the return page does, and insists on an order. */
export async function placeOrderOnReturn(store: StoreHttp, cartId: string) {
  const body = ensureOk(await completeCartOnReturn(store, cartId), "complete cart")
  if (body.type !== "order") {
    throw new DemoError(`the cart was not completed: ${body.error?.message ?? JSON.stringify(body)}`)
  }
  return body.order
}

export async function customerCheckout(store: StoreHttp, seeded: SeededStore, emulator: DinteroEmulator): Promise<PlacedOrder> {
  section("Customer checkout (Store API)")

  const cart = await step(
    "Create a cart",
    async () => {
      const { cart, paymentCollection } = await prepareCart(store, {
        regionId: seeded.regionId,
        variantId: seeded.variantId,
        quantity: 2,
        email: CUSTOMER_EMAIL,
      })
      // The route's default fields leave out the shipping method's name.
      return { ...(await retrieveCart(store, cart.id, "+shipping_methods.name")), paymentCollectionId: paymentCollection.id }
    },
    (cart) => {
      const currency = cart.currency_code
      const items = cart.items.map((item: any) => `${item.quantity} × ${item.product_title ?? item.title} à ${nok(item.unit_price, currency)}`)
      const shipping = cart.shipping_methods.map((m: any) => `${m.name} ${nok(m.amount, currency)}`)
      return {
        line: `Cart with ${[...items, ...shipping].join(", ")}: total ${nok(cart.total, currency)} (incl. ${nok(cart.tax_total, currency)} VAT)`,
        details: [`cart ${cart.id} for ${cart.email}, shipping to ${cart.shipping_address?.city ?? "Norway"}`],
      }
    }
  )

  const checkout = await step(
    "Start the Dintero payment",
    async () => {
      const { paymentSession } = await initiatePaymentSession(store, cart.paymentCollectionId, DINTERO_PROVIDER_ID)
      return dinteroSessionOf(paymentSession)
    },
    ({ dinteroSessionId, checkoutUrl }) => ({
      line: `Dintero checkout session ${dinteroSessionId} created (payment session of ${DINTERO_PROVIDER_ID})`,
      details: [`hosted checkout page: ${checkoutUrl}`, ...orderLines(emulator, dinteroSessionId)],
    })
  )

  const paid = await step(
    `Customer pays on Dintero's hosted page with test card ${TEST_CARD}`,
    async () => {
      const result = await emulator.pay(checkout.dinteroSessionId, { card: TEST_CARD })
      if (!result.transactionId) {
        throw new DemoError(`the payment did not go through: ${result.error}${result.message ? ` (${result.message})` : ""}`)
      }
      return result
    },
    (result) => {
      const t = transactionSummary(emulator, result.transactionId!)
      return {
        line: `Paid ${nokFromMinor(t.amount, t.currency)} with ${t.card ?? "the card"}: Dintero transaction ${t.id} is ${t.status}`,
        details: [`the browser returns to the storefront: ${result.redirectUrl}`],
      }
    }
  )
  const transactionId = paid.transactionId!

  await step(
    "Dintero's signed callback reaches the store",
    async () => {
      const [done] = await emulator.waitForCallbacks(
        (a) => a.transactionId === transactionId && a.outcome !== "retrying",
        30_000
      )
      const attempts = emulator.callbacks().filter((a) => a.deliveryId === done.deliveryId)
      if (done.outcome !== "delivered") {
        throw new DemoError(`the store refused Dintero's callback (HTTP ${done.status ?? done.error})`, describeAttempts(attempts))
      }
      return { done, attempts }
    },
    ({ done, attempts }) => {
      const url = new URL(done.url)
      const signature = done.headers["dintero-signature"] ?? ""
      return {
        line: `Dintero called ${done.method} ${url.pathname} → HTTP ${done.status}: signature verified, payment authorized in Medusa`,
        details: [
          ...[...url.searchParams].map(([key, value]) => `${key}=${value}`),
          `Dintero-Signature: ${signature.replace(/(v0-hmac-sha256=[0-9a-f]{12})[0-9a-f]+/, "$1…")}`,
          ...(attempts.length > 1 ? describeAttempts(attempts) : []),
        ],
      }
    }
  )

  const { order } = await step(
    "Customer is back in the shop: complete the cart",
    async () => {
      // Dintero's callback may have completed the cart already (it does so when the customer never returns).
      const before = await retrieveCart(store, cart.id, "id,completed_at")
      return { order: await placeOrderOnReturn(store, cart.id), placedByCallback: !!before.completed_at }
    },
    ({ order, placedByCallback }) => ({
      line: `Order #${order.display_id} placed: ${nok(order.total, order.currency_code)}`,
      details: [
        `order id ${order.id}`,
        placedByCallback
          ? "the callback had already completed the cart; the customer's return found the same order"
          : "completed on the customer's return; the callback and the return yield one order",
      ],
    })
  )

  await step(
    "Payment at Dintero",
    async () => transactionSummary(emulator, transactionId),
    (t) => `Transaction ${t.id}: ${t.status} (${nokFromMinor(t.amount, t.currency)} authorized, nothing captured yet)`
  )

  return { orderId: order.id, displayId: order.display_id, total: Number(order.total), currency: order.currency_code, transactionId }
}

/** The order lines the plugin sent to Dintero, from the emulator's copy of the session. */
function orderLines(emulator: DinteroEmulator, sessionId: string): string[] {
  const session = emulator.sessions().find((s) => s.id === sessionId) as any
  if (!session?.order?.items) return []
  const currency = session.order.currency
  return [
    `order lines sent to Dintero (${nokFromMinor(session.order.amount, currency)}):`,
    ...session.order.items.map(
      (line: any) =>
        `  ${line.quantity ?? 1} × ${line.description ?? line.id}: ${nokFromMinor(line.amount, currency)} incl. ${nokFromMinor(line.vat_amount ?? 0, currency)} VAT (${line.vat ?? 0} %)`
    ),
  ]
}

function describeAttempts(attempts: Array<{ attempt: number; status?: number; error?: string; outcome: string }>): string[] {
  return attempts.map((a) => `attempt ${a.attempt}: ${a.status !== undefined ? `HTTP ${a.status}` : a.error} (${a.outcome})`)
}


import type { DinteroEmulator, PayOptions } from "../../emulator/src"
import type { StoreHttp } from "../../scripts/lib/http"
import type { SeededStore } from "../../scripts/lib/seed-store"
import { completeCartOnReturn, initiatePaymentSession, prepareCart } from "../../scripts/lib/store-checkout"

export const DINTERO_PROVIDER_ID = "pp_dintero_dintero"

/** A guest cart ready to pay, with a Dintero payment session: what a storefront has before it embeds. */
export async function startDinteroCheckout(store: StoreHttp, seeded: SeededStore, quantity = 2, data?: Record<string, unknown>) {
  const { cart, paymentCollection } = await prepareCart(store, {
    regionId: seeded.regionId,
    variantId: seeded.variantId,
    quantity,
  })
  const { paymentSession } = await initiatePaymentSession(store, paymentCollection.id, DINTERO_PROVIDER_ID, data)
  return { cart, paymentCollection, paymentSession, dinteroSessionId: paymentSession.data.dintero.session_id as string }
}

/** A guest's order paid by card on Dintero's page: the order, Medusa's payment and the Dintero transaction id. */
export async function placePaidOrder(
  shop: { store: StoreHttp; admin: StoreHttp; seeded: SeededStore },
  emulator: DinteroEmulator,
  pay: Omit<PayOptions, "card"> = {}
) {
  const { cart, dinteroSessionId } = await startDinteroCheckout(shop.store, shop.seeded)
  const paid = await emulator.pay(dinteroSessionId, { card: "4111111111111111", ...pay })
  const completed = await completeCartOnReturn(shop.store, cart.id)
  if (completed.data.type !== "order") {
    throw new Error(`placePaidOrder: the cart was not completed (${JSON.stringify(completed.data).slice(0, 200)})`)
  }
  const [order] = await listOrders(shop.admin)
  return { order, payment: order.payment_collections[0].payments[0], transactionId: paid.transactionId! }
}

/** Every order in the store (each test starts from an empty database). */
export async function listOrders(admin: StoreHttp) {
  const fields = encodeURIComponent("id,display_id,*payment_collections,*payment_collections.payments")
  const { status, data } = await admin.get<any>(`/admin/orders?fields=${fields}&limit=100`)
  if (status !== 200) {
    throw new Error(`listing orders failed with ${status}: ${JSON.stringify(data)}`)
  }
  return data.orders as any[]
}

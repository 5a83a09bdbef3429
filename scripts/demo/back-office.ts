/** The merchant's side: capture and refund the order's payment through the Admin API. */
import { ensureOk, type StoreHttp } from "../lib/http"
import type { PlacedOrder } from "./checkout"
import { describeTransaction, transactionSummary, type DinteroEmulator } from "./dintero"
import { DemoError, nok, section, step, toMinor } from "./print"

const ORDER_FIELDS = "id,display_id,payment_status,*payment_collections,*payment_collections.payments"

async function orderPayment(admin: StoreHttp, orderId: string) {
  const { order } = ensureOk(
    await admin.get<any>(`/admin/orders/${orderId}?fields=${encodeURIComponent(ORDER_FIELDS)}`),
    "retrieve order"
  )
  const payment = order.payment_collections?.flatMap((c: any) => c.payments ?? [])[0]
  if (!payment) throw new DemoError(`order #${order.display_id} has no payment`)
  return { order, payment }
}

export async function backOffice(admin: StoreHttp, emulator: DinteroEmulator, placed: PlacedOrder): Promise<void> {
  section("Merchant back office (Admin API)")
  const { currency, transactionId } = placed

  const { payment } = await step(
    `Open order #${placed.displayId}`,
    () => orderPayment(admin, placed.orderId),
    ({ order, payment }) =>
      `Order #${order.display_id}: payment ${payment.id} of ${nok(payment.amount, currency)} by ${payment.provider_id}, status ${order.payment_status}`
  )

  // Ship part of the order first, the rest later, then take back part of it.
  const total = toMinor(payment.amount)
  const firstCapture = Math.min(30000, Math.floor(total / 2))
  const operations = [
    { kind: "capture", amount: firstCapture, title: "Capture part of the payment (first parcel shipped)" },
    { kind: "capture", amount: total - firstCapture, title: "Capture the rest (second parcel shipped)" },
    { kind: "refund", amount: Math.min(10000, firstCapture), title: "Refund part of it (customer returned something)" },
  ] as const

  for (const op of operations) {
    const amount = op.amount / 100
    await step(
      op.title,
      async () => {
        ensureOk(await admin.post(`/admin/payments/${payment.id}/${op.kind}`, { amount }), `${op.kind} ${nok(amount, currency)}`)
        const { order } = await orderPayment(admin, placed.orderId)
        return { order, dintero: transactionSummary(emulator, transactionId) }
      },
      ({ order, dintero }) => ({
        line: `${op.kind === "capture" ? "Captured" : "Refunded"} ${nok(amount, currency)} → ${describeTransaction(dintero)}`,
        details: [`Medusa order #${order.display_id} payment status: ${order.payment_status}`],
      })
    )
  }
}

import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { toMinorUnits, fromMinorUnits } from "../../../lib/dintero"
import { dinteroOptionsSchema } from "../../../providers/dintero/options"
import { roundDivision } from "../../../providers/dintero/line-allocation"

type PaymentRow = {
  id: string
  provider_id: string
  amount: unknown
  canceled_at?: unknown
  captured_at?: unknown
  captures?: Array<{ amount: unknown } | null> | null
}

/** Whether the Dintero provider a payment went through was configured with `captureOnFulfillment`. */
function capturesOnFulfillment(container: { resolve(key: string): any }, providerId: string): boolean {
  const configModule = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, any> }
  const providers = (configModule.modules?.payment?.options?.providers ?? []) as Array<{ id?: string; options?: unknown }>
  const entry = providers.find((provider) => `pp_dintero_${provider.id}` === providerId)
  const parsed = dinteroOptionsSchema.safeParse(entry?.options ?? {})
  return parsed.success && parsed.data.captureOnFulfillment
}

const minor = (value: unknown, currency: string) => toMinorUnits(MathBN.convert((value ?? 0) as any).toFixed(), currency)

/**
 * What an order's fulfilments are worth and its Dintero payment has not captured yet: each line's fulfilled
 * units at the line's price after discounts (all of the line once every unit is fulfilled), the shipping with
 * the first fulfilment, minus what Medusa recorded as captured from the payment; never more than the payment
 * has left. Read inside the order's lock, after the captures of earlier fulfilments were recorded, so two
 * fulfilments never capture the same line. Null when there is nothing to capture or the order is not paid
 * with exactly one live Dintero payment whose provider captures on fulfilment.
 */
export const fulfilledUncapturedAmountStep = createStep(
  "dintero-fulfilled-uncaptured-amount",
  async (input: { order_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: [
        "id",
        "currency_code",
        // The order module computes line totals only when an order total is asked for too.
        "total",
        "items.*",
        "items.total",
        "items.detail.*",
        "shipping_methods.*",
        "shipping_methods.total",
        "payment_collections.payments.id",
        "payment_collections.payments.provider_id",
        "payment_collections.payments.amount",
        "payment_collections.payments.canceled_at",
        "payment_collections.payments.captured_at",
        "payment_collections.payments.captures.amount",
      ],
      filters: { id: input.order_id },
    })
    const order = data[0] as any
    const payments = ((order?.payment_collections ?? []).flatMap((collection: any) => collection?.payments ?? []) as PaymentRow[]).filter(
      (payment) => payment && !payment.canceled_at
    )
    const [payment] = payments
    if (!order || payments.length !== 1 || !payment.provider_id.startsWith("pp_dintero_") || payment.captured_at) {
      return new StepResponse(null)
    }
    if (!capturesOnFulfillment(container, payment.provider_id)) {
      return new StepResponse(null)
    }
    const currency = String(order.currency_code).toUpperCase()
    let fulfilled = 0
    let anyFulfilled = false
    for (const item of (order.items ?? []).filter(Boolean)) {
      const quantity = Number(item.quantity ?? item.detail?.quantity)
      const units = Math.min(Number(item.detail?.fulfilled_quantity ?? item.fulfilled_quantity ?? 0), quantity)
      if (!(units > 0)) continue
      anyFulfilled = true
      const total = minor(item.total, currency)
      fulfilled += units >= quantity ? total : roundDivision(BigInt(total) * BigInt(Math.round(units * 1000)), BigInt(Math.round(quantity * 1000)))
    }
    if (!anyFulfilled) {
      return new StepResponse(null)
    }
    for (const method of (order.shipping_methods ?? []).filter(Boolean)) {
      fulfilled += minor(method.total, currency)
    }
    const captured = (payment.captures ?? []).filter(Boolean).reduce((sum, capture) => sum + minor(capture!.amount, currency), 0)
    const amount = Math.min(fulfilled - captured, minor(payment.amount, currency) - captured)
    if (amount <= 0) {
      return new StepResponse(null)
    }
    // capturePaymentWorkflow takes Medusa's amounts in major units.
    return new StepResponse({ payment_id: payment.id, amount: Number(fromMinorUnits(amount, currency)) })
  }
)

import type { LinkDefinition, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits } from "../../../lib/dintero"
import { SUBSCRIPTION_MODULE, type SubscriptionLine } from "../../../modules/subscription"
import { lineAmount } from "../../../modules/subscription/lines"
import { subscriptionModule, subscriptionOrderId } from "../helpers"

export type SubscriptionOrder = { order_id: string; charge_id: string; created: boolean }
const respond = (order: SubscriptionOrder | null) => new StepResponse<SubscriptionOrder | null>(order)

/**
 * The Medusa order for a successful charge (a renewal or a proration), built the way Medusa's subscription
 * recipe does it: createOrderWorkflow with the lines the charge paid for (VAT-inclusive prices), then the
 * order linked to the charge's payment collection (so the order shows the captured payment) and to the
 * subscription. Idempotent: a charge that already has its order is returned as is, so a run that failed
 * after charging creates the order later without charging again.
 *
 * At most one order per paid period, whatever crashes or overlaps: the order's id is derived from the
 * charge's merchant_reference (one per period or proration; Medusa's DML generates an id only when none is
 * given), so the order table's primary key refuses a second one, even from another process that holds no
 * shared lock. An order that already exists under that id (a run killed after createOrderWorkflow, before
 * the charge recorded it; or another process that got there first) is adopted, never created again.
 *
 * Not compensated: the order stands for money that moved. If a later step fails, the next run adopts it.
 */
export const createSubscriptionOrderStep = createStep(
  "create-subscription-order",
  async (input: { charge_id: string | null; first_success?: boolean }, { container }) => {
    if (!input.charge_id) {
      return respond(null)
    }
    const service = subscriptionModule(container)
    const charge = await service.retrieveSubscriptionCharge(input.charge_id, { relations: ["subscription"] })
    if (charge.status !== "succeeded") {
      return respond(null)
    }
    if (charge.order_id) {
      return respond({ order_id: charge.order_id, charge_id: charge.id, created: false })
    }
    const orderId = subscriptionOrderId(charge.merchant_reference)
    const subscription = charge.subscription as unknown as Record<string, any>
    let created = false
    // A charge that has just succeeded on a new attempt of its period has no order yet: nothing to look for (the
    // primary key and the catch below still hold against a process that got there first).
    if (input.first_success || !(await orderExists(container, orderId))) {
      try {
        await createOrder(container, orderId, charge, subscription)
        created = true
      } catch (error) {
        // Another process created it between our look and our insert: the primary key refused ours.
        // A charge that has just succeeded on a new attempt of its period has no order yet: nothing to look for (the
    // primary key and the catch below still hold against a process that got there first).
    if (input.first_success || !(await orderExists(container, orderId))) {
          throw error
        }
      }
    }
    // Links are upserts: adopting an order whose links were already made is harmless.
    await container.resolve(ContainerRegistrationKeys.LINK).create(orderLinks(orderId, charge.payment_collection_id, subscription.id))
    await service.updateSubscriptionCharges({ id: charge.id, order_id: orderId })
    return respond({ order_id: orderId, charge_id: charge.id, created })
  }
)

async function orderExists(container: Pick<MedusaContainer, "resolve">, orderId: string): Promise<boolean> {
  const orders = await container.resolve(Modules.ORDER).listOrders({ id: orderId }, { select: ["id"] })
  return orders.length > 0
}

async function createOrder(container: MedusaContainer, orderId: string, charge: Record<string, any>, subscription: Record<string, any>) {
  const currency = charge.currency_code.toUpperCase()
  const lines = charge.items as unknown as SubscriptionLine[]
  const taxLines = (line: SubscriptionLine) => (line.vat ? [{ rate: line.vat, code: "VAT", description: `VAT ${line.vat}%` }] : [])
  await createOrderWorkflow(container).run({
    input: {
      id: orderId,
      region_id: subscription.region_id,
      customer_id: subscription.customer_id,
      sales_channel_id: subscription.sales_channel_id ?? undefined,
      email: subscription.email ?? undefined,
      currency_code: charge.currency_code.toLowerCase(),
      shipping_address: subscription.shipping_address ?? undefined,
      billing_address: subscription.billing_address ?? undefined,
      items: lines
        .filter((line) => line.type !== "shipping")
        .map((line) => ({
          title: line.title,
          variant_id: line.variant_id ?? undefined,
          product_id: line.product_id ?? undefined,
          quantity: line.quantity,
          unit_price: fromMinorUnits(line.unit_amount, currency),
          is_tax_inclusive: true,
          tax_lines: taxLines(line),
          metadata: { subscription_line_id: line.line_id },
        })),
      shipping_methods: lines
        .filter((line) => line.type === "shipping")
        .map((line) => ({
          name: line.title,
          amount: fromMinorUnits(lineAmount(line), currency),
          is_tax_inclusive: true,
          shipping_option_id: line.shipping_option_id ?? undefined,
          tax_lines: taxLines(line),
        })),
      metadata: {
        subscription_id: subscription.id,
        subscription_charge_id: charge.id,
        subscription_charge_kind: charge.kind,
        merchant_reference: charge.merchant_reference,
      },
    } as any,
  })
}

function orderLinks(orderId: string, paymentCollectionId: string | null, subscriptionId: string): LinkDefinition[] {
  return [
    ...(paymentCollectionId
      ? [{ [Modules.ORDER]: { order_id: orderId }, [Modules.PAYMENT]: { payment_collection_id: paymentCollectionId } }]
      : []),
    { [SUBSCRIPTION_MODULE]: { subscription_id: subscriptionId }, [Modules.ORDER]: { order_id: orderId } },
  ]
}

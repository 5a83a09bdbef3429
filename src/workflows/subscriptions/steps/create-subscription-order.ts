import type { LinkDefinition } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits } from "../../../lib/dintero"
import { SUBSCRIPTION_MODULE, type SubscriptionLine } from "../../../modules/subscription"
import { lineAmount } from "../../../modules/subscription/lines"
import { subscriptionModule } from "../helpers"

export type SubscriptionOrder = { order_id: string; charge_id: string; created: boolean }
type Created = { order_id: string; charge_id: string; links: LinkDefinition[] }
const respond = (order: SubscriptionOrder | null, created?: Created) => new StepResponse<SubscriptionOrder | null, Created | null>(order, created ?? null)

/**
 * The Medusa order for a successful charge (a renewal or a proration), built the way Medusa's subscription
 * recipe does it: createOrderWorkflow with the lines the charge paid for (VAT-inclusive prices), then the
 * order linked to the charge's payment collection (so the order shows the captured payment) and to the
 * subscription. Idempotent: a charge that already has its order is returned as is, so a run that failed
 * after charging creates the order later without charging again.
 */
export const createSubscriptionOrderStep = createStep(
  "create-subscription-order",
  async (input: { charge_id: string | null }, { container }) => {
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
    const subscription = charge.subscription as unknown as Record<string, any>
    const currency = charge.currency_code.toUpperCase()
    const lines = charge.items as unknown as SubscriptionLine[]
    const taxLines = (line: SubscriptionLine) => (line.vat ? [{ rate: line.vat, code: "VAT", description: `VAT ${line.vat}%` }] : [])
    const { result: order } = await createOrderWorkflow(container).run({
      input: {
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
    const links = orderLinks(order.id, charge.payment_collection_id, subscription.id)
    await container.resolve(ContainerRegistrationKeys.LINK).create(links)
    await service.updateSubscriptionCharges({ id: charge.id, order_id: order.id })
    return respond({ order_id: order.id, charge_id: charge.id, created: true }, { order_id: order.id, charge_id: charge.id, links })
  },
  async (created, { container }) => {
    if (!created) {
      return
    }
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss(created.links)
    await container.resolve(Modules.ORDER).cancel(created.order_id)
    await subscriptionModule(container).updateSubscriptionCharges({ id: created.charge_id, order_id: null })
  }
)

function orderLinks(orderId: string, paymentCollectionId: string | null, subscriptionId: string): LinkDefinition[] {
  return [
    ...(paymentCollectionId
      ? [{ [Modules.ORDER]: { order_id: orderId }, [Modules.PAYMENT]: { payment_collection_id: paymentCollectionId } }]
      : []),
    { [SUBSCRIPTION_MODULE]: { subscription_id: subscriptionId }, [Modules.ORDER]: { order_id: orderId } },
  ]
}

import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { nextPeriodEnd, scheduleStartingAt } from "../../../modules/subscription/periods"
import { copyAddress, findAccountHolder, listSavedCards, subscriptionModule } from "../helpers"
import { itemLine, planGroups, shippingLine } from "../order-plans"
import type { NewSubscription } from "./create-subscriptions"

const ORDER_FIELDS = [
  "id", "created_at", "customer_id", "email", "currency_code", "region_id", "sales_channel_id", "metadata",
  // Order items keep their quantity on the order's item detail; "items.*" brings it along.
  "items.*", "items.tax_lines.rate",
  "shipping_methods.id", "shipping_methods.name", "shipping_methods.amount", "shipping_methods.is_tax_inclusive",
  "shipping_methods.shipping_option_id", "shipping_methods.tax_lines.rate",
  "shipping_address.*", "billing_address.*",
  "payment_collections.payments.id", "payment_collections.payments.provider_id", "payment_collections.payments.data",
]

/**
 * Reads a placed order and works out the subscriptions it starts, one per plan (order-plans.ts). The card is the newest one saved on the customer's account holder from this order's Dintero
 * transaction. Renewals bill list prices with VAT: a discount of the first order is not carried over.
 * Nothing is created for an order that already started its subscriptions (order.placed delivered twice).
 */
export const prepareSubscriptionsFromOrderStep = createStep(
  "prepare-subscriptions-from-order",
  async (input: { order_id: string }, { container }) => {
    const service = subscriptionModule(container)
    const { providerId } = service.getOptions()
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: input.order_id } })
    const order = data[0] as Record<string, any> | undefined
    const none = (reason: string) => new StepResponse({ subscriptions: [] as NewSubscription[], skipped: reason })
    if (!order) {
      return none("order_not_found")
    }
    const groups = planGroups(order)
    if (!groups.length) {
      return none("no_plan")
    }
    if ((await service.listSubscriptions({ source_order_id: order.id }, { select: ["id"], take: 1 })).length) {
      return none("already_created")
    }
    const payment = (order.payment_collections ?? []).flatMap((pc: any) => pc?.payments ?? []).find((p: any) => p?.provider_id === providerId)
    const transactionId = payment?.data?.dintero?.transaction_id as string | undefined
    const holder = order.customer_id ? await findAccountHolder(container, order.customer_id, providerId) : null
    const card = (await listSavedCards(container, holder))
      .filter((saved) => transactionId && saved.source_transaction_id === transactionId && !saved.expired)
      .sort((a, b) => String(b.created_at ?? "").localeCompare(String(a.created_at ?? "")))[0]
    if (!card) {
      logger.warn(`Order ${order.id} asks for a subscription, but no card was saved from its Dintero payment (guest checkout, or saveCards off): no subscription created.`)
      return none("no_saved_card")
    }

    const start = new Date(order.created_at)
    const currency = String(order.currency_code).toUpperCase()
    const subscriptions = groups.map(({ plan, items, withShipping }): NewSubscription => {
      const schedule = scheduleStartingAt(start, plan.interval, plan.interval_count)
      const end = nextPeriodEnd(start, schedule)
      const lines = [
        ...items.map((item: any) => itemLine(item, currency)),
        ...(withShipping ? (order.shipping_methods ?? []).filter(Boolean).map((method: any) => shippingLine(method, currency)) : []),
      ]
      return {
        customer_id: order.customer_id,
        card_id: card.id,
        currency_code: order.currency_code,
        items: lines,
        ...schedule,
        current_period_start: start,
        current_period_end: end,
        next_charge_at: end,
        region_id: order.region_id,
        sales_channel_id: order.sales_channel_id ?? null,
        email: order.email ?? null,
        shipping_address: copyAddress(order.shipping_address),
        billing_address: copyAddress(order.billing_address),
        source_order_id: order.id,
        metadata: { plan },
      }
    })
    return new StepResponse({ subscriptions, skipped: null as string | null })
  }
)

import type { Logger } from "@medusajs/framework/types"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { nextPeriodEnd, scheduleStartingAt, trialEnd } from "../../../modules/subscription/periods"
import { copyAddress, findAccountHolder, listSavedCards, subscriptionModule } from "../helpers"
import { itemLine, planGroups, shippingLine, trialUnitPrice, type PlanGroup } from "../order-plans"
import { priceVariants, pricedLine, type PricedVariant } from "../variant-prices"
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
    const { trials, prices } = await trialsOf(container, order, groups)
    const subscriptions = groups.map(({ plan, items, withShipping }, index): NewSubscription => {
      const trial = trials[index]
      // A trial is the first period: paid (reduced, or nothing) by this order; the plan's first charge is at its end.
      const firstPaid = trial ? trialEnd(start, trial.days) : start
      const schedule = scheduleStartingAt(firstPaid, plan.interval, plan.interval_count)
      const end = trial ? firstPaid : nextPeriodEnd(start, schedule)
      const lines = [
        // A line added at a trial price bills Medusa's regular price from the next charge on, whatever group it
        // ended up in: a trial price is never carried into renewals.
        ...items.map((item: any) =>
          item.metadata?.subscription?.trial_days && prices.has(item.variant_id)
            ? pricedLine(prices.get(item.variant_id)!, Number(item.quantity ?? item.detail?.quantity), item.id)
            : itemLine(item, currency)
        ),
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
        ...(trial ? { status: "trialing" as const, trial_end: end } : {}),
        region_id: order.region_id,
        sales_channel_id: order.sales_channel_id ?? null,
        email: order.email ?? null,
        shipping_address: copyAddress(order.shipping_address),
        billing_address: copyAddress(order.billing_address),
        source_order_id: order.id,
        metadata: { plan: trial ? { ...plan, trial_days: trial.days } : plan },
      }
    })
    return new StepResponse({ subscriptions, skipped: null as string | null })
  }
)

type Trial = { days: number }

/**
 * The trial of each plan group, or null. A group is on trial only when every one of its items is a trial
 * line the plugin priced itself (POST /store/carts/:id/subscription-items): the variant's merchant plan has
 * `trial_days`, the line asks for exactly that trial, and the order charged exactly the merchant's trial
 * price for it. Line metadata alone is storefront input: a forged `trial_days` on a line bought at the
 * regular price starts an ordinary subscription, whose first period that order paid.
 */
async function trialsOf(
  container: Pick<MedusaContainer, "resolve">,
  order: Record<string, any>,
  groups: PlanGroup[]
): Promise<{ trials: Array<Trial | null>; prices: Map<string, PricedVariant> }> {
  const asked = groups.flatMap((group) => group.items).filter((item: any) => item.metadata?.subscription?.trial_days && item.variant_id)
  if (!asked.length) {
    return { trials: groups.map(() => null), prices: new Map() }
  }
  const prices = await priceVariants(container, {
    variant_ids: asked.map((item: any) => item.variant_id),
    region_id: order.region_id,
    currency_code: order.currency_code,
    country_code: order.shipping_address?.country_code ?? order.billing_address?.country_code ?? null,
  })
  const trials = groups.map((group) => {
    const days = group.items.map((item: any) => {
      const plan = prices.get(item.variant_id)?.plan
      const price = plan ? trialUnitPrice(plan, order.currency_code) : null
      const isTrial =
        plan?.trial_days !== undefined &&
        Number(item.metadata?.subscription?.trial_days) === plan.trial_days &&
        price !== null &&
        MathBN.eq(MathBN.convert(item.unit_price), price)
      return isTrial ? plan!.trial_days! : null
    })
    return days.length && days.every((day) => day !== null && day === days[0]) ? { days: days[0]! } : null
  })
  return { trials, prices }
}

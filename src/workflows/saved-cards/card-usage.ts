import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

type Container = Pick<MedusaContainer, "resolve">

/** A saved card as the provider lists it: the public half only (card-vault.ts keeps the tokens apart). */
export type ListedCard = { id: string; provider_id: string; source_transaction_id?: string } & Record<string, unknown>

/** Subscriptions in these states are charged again: a card deleted under them leaves them without one. */
export const LIVE_SUBSCRIPTION_STATUSES = ["active", "past_due", "paused"] as const

/** What a merchant needs to recognise a subscription in a confirmation: no lines, no addresses. */
export type CardSubscription = {
  id: string
  status: string
  cancel_at_period_end: boolean
  next_charge_at: string | null
  /** What one period bills: minor units, VAT included (subscription lines are stored so). */
  plan: { interval: string; interval_count: number; amount: number; currency_code: string; description: string }
}

/** Where a saved card came from: the checkout whose Dintero transaction it was saved from. */
export type CardSource =
  | { type: "checkout"; transaction_id: string; order_id: string; order_display_id: number | null }
  /** A checkout that started subscriptions (saveCards "subscriptions" saves the card for them). */
  | { type: "subscription_checkout"; transaction_id: string; order_id: string; order_display_id: number | null; subscription_ids: string[] }
  /** A transaction no order of the customer was paid with (a checkout never completed, or saved through the API). */
  | { type: "transaction"; transaction_id: string | null }

/** The live subscriptions of the customer that charge each of `cardIds`, by card id. */
export async function liveSubscriptionsByCard(container: Container, customerId: string, cardIds: string[]): Promise<Map<string, CardSubscription[]>> {
  const byCard = new Map<string, CardSubscription[]>(cardIds.map((id) => [id, []]))
  if (!cardIds.length) {
    return byCard
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "subscription",
    fields: ["id", "card_id", "status", "cancel_at_period_end", "next_charge_at", "items", "interval", "interval_count", "currency_code", "created_at"],
    filters: { customer_id: customerId, card_id: cardIds, status: [...LIVE_SUBSCRIPTION_STATUSES] },
  })
  const sorted = [...(data as Array<Record<string, any>>)].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)))
  for (const subscription of sorted) {
    byCard.get(subscription.card_id)?.push(summarise(subscription))
  }
  return byCard
}

function summarise(subscription: Record<string, any>): CardSubscription {
  const lines = (subscription.items ?? []) as Array<{ title?: string; quantity?: number; unit_amount?: number }>
  return {
    id: subscription.id,
    status: subscription.status,
    cancel_at_period_end: Boolean(subscription.cancel_at_period_end),
    next_charge_at: subscription.next_charge_at ? new Date(subscription.next_charge_at).toISOString() : null,
    plan: {
      interval: subscription.interval,
      interval_count: Number(subscription.interval_count ?? 1),
      amount: lines.reduce((sum, line) => sum + Number(line.unit_amount ?? 0) * Number(line.quantity ?? 0), 0),
      currency_code: String(subscription.currency_code).toUpperCase(),
      description: lines.map((line) => (Number(line.quantity) > 1 ? `${line.quantity} × ${line.title}` : String(line.title))).join(", "),
    },
  }
}

/**
 * Where each card came from. A card is saved from the Dintero transaction a checkout was paid with, so the
 * customer's order whose Dintero payment carries that transaction id is its checkout; subscriptions started
 * by that order (source_order_id) make it a subscription checkout. Only the customer's own orders are read.
 */
export async function cardSources(container: Container, customerId: string, cards: ListedCard[]): Promise<Map<string, CardSource>> {
  const wanted = new Set(cards.map((card) => card.source_transaction_id).filter((id): id is string => Boolean(id)))
  const orderByTransaction = new Map<string, { id: string; display_id: number | null }>()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  if (wanted.size) {
    const { data: orders } = await query.graph({
      entity: "order",
      fields: ["id", "display_id", "payment_collections.payments.provider_id", "payment_collections.payments.data"],
      filters: { customer_id: customerId },
    })
    for (const order of orders as Array<Record<string, any>>) {
      for (const payment of (order.payment_collections ?? []).flatMap((collection: any) => collection?.payments ?? [])) {
        const transactionId = payment?.provider_id?.startsWith("pp_dintero_") ? payment.data?.dintero?.transaction_id : undefined
        if (transactionId && wanted.has(transactionId) && !orderByTransaction.has(transactionId)) {
          orderByTransaction.set(transactionId, { id: order.id, display_id: order.display_id ?? null })
        }
      }
    }
  }
  const orderIds = [...new Set([...orderByTransaction.values()].map((order) => order.id))]
  const started = new Map<string, string[]>()
  if (orderIds.length) {
    const { data: subscriptions } = await query.graph({
      entity: "subscription",
      fields: ["id", "source_order_id"],
      filters: { customer_id: customerId, source_order_id: orderIds },
    })
    for (const subscription of subscriptions as Array<{ id: string; source_order_id: string }>) {
      started.set(subscription.source_order_id, [...(started.get(subscription.source_order_id) ?? []), subscription.id])
    }
  }
  return new Map(
    cards.map((card): [string, CardSource] => {
      const transactionId = card.source_transaction_id ?? null
      const order = transactionId ? orderByTransaction.get(transactionId) : undefined
      if (!transactionId || !order) {
        return [card.id, { type: "transaction", transaction_id: transactionId }]
      }
      const subscriptionIds = started.get(order.id) ?? []
      const checkout = { transaction_id: transactionId, order_id: order.id, order_display_id: order.display_id }
      return [card.id, subscriptionIds.length ? { type: "subscription_checkout", ...checkout, subscription_ids: subscriptionIds } : { type: "checkout", ...checkout }]
    })
  )
}

import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { listSavedCards, subscriptionModule } from "../../subscriptions/helpers"
import type { CardUpdateLinkRecord } from "./find-card-update-link"

/**
 * What the card-update page shows to whoever holds the link, without a login: as little as identifies the
 * subscription (what it bills, its status, when it is charged next, the current card's brand and last digits),
 * nothing about the customer.
 */
export const describeCardUpdateLinkStep = createStep(
  "describe-card-update-link",
  async (link: CardUpdateLinkRecord, { container }) => {
    const service = subscriptionModule(container)
    const subscription = await service.retrieveSubscription(link.subscription_id)
    const query = container.resolve("query") as any
    const { data } = await query.graph({
      entity: "customer",
      fields: ["account_holders.id", "account_holders.provider_id", "account_holders.data"],
      filters: { id: link.customer_id },
    })
    const holder = (data[0]?.account_holders ?? []).find((h: any) => h?.provider_id === service.getOptions().providerId) ?? null
    const card = (await listSavedCards(container, holder)).find((saved) => saved.id === subscription.card_id) as any
    const items = (subscription.items ?? []) as unknown as Array<{ title?: string; quantity?: number }>
    return new StepResponse({
      subscription: {
        id: subscription.id,
        status: subscription.status,
        items: items.map((item) => ({ title: item.title ?? null, quantity: item.quantity ?? 1 })),
        currency_code: subscription.currency_code,
        interval: subscription.interval,
        interval_count: subscription.interval_count,
        next_charge_at: subscription.next_charge_at,
        card: card ? { brand: card.brand ?? null, last4: String(card.masked_pan ?? "").slice(-4) || null, expiry_date: card.expiry_date ?? null } : null,
      },
      expires_at: new Date(link.expires_at).toISOString(),
    })
  }
)

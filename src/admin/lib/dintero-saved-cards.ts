import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "./sdk"

/** A subscription a saved card pays, as GET /admin/customers/:id/dintero-payment-methods lists it. */
export type CardSubscription = {
  id: string
  status: "active" | "past_due" | "paused" | string
  cancel_at_period_end: boolean
  next_charge_at: string | null
  /** amount: minor units, VAT included. */
  plan: { interval: string; interval_count: number; amount: number; currency_code: string; description: string }
}

export type CardSource =
  | { type: "checkout"; transaction_id: string; order_id: string; order_display_id: number | null }
  | { type: "subscription_checkout"; transaction_id: string; order_id: string; order_display_id: number | null; subscription_ids: string[] }
  | { type: "transaction"; transaction_id: string | null }

/** The public half of a saved card (the tokens never leave the server). */
export type SavedCard = {
  id: string
  brand: string | null
  masked_pan: string | null
  /** MM/YYYY */
  expiry_date: string | null
  expired: boolean
  blocked?: { code: string; at: string; message?: string | null } | null
  source: CardSource
  subscriptions: CardSubscription[]
}

const cardsUrl = (customerId: string) => `/admin/customers/${customerId}/dintero-payment-methods`
export const savedCardsQueryKey = (customerId: string) => ["dintero-saved-cards", customerId] as const

export function useSavedCards(customerId: string) {
  return useQuery({
    queryKey: savedCardsQueryKey(customerId),
    queryFn: () => sdk.client.fetch<{ payment_methods: SavedCard[] }>(cardsUrl(customerId)),
  })
}

/** One card read fresh, so a confirmation names the subscriptions that use it now, not when the page loaded. */
export function fetchSavedCard(customerId: string, cardId: string) {
  return sdk.client.fetch<{ payment_method: SavedCard }>(`${cardsUrl(customerId)}/${cardId}`)
}

export type DeleteSavedCardResult = { id: string; deleted: true; subscriptions_without_card: CardSubscription[] }

/**
 * Deletes a card. `confirm` only when the merchant confirmed leaving subscriptions without a card: without it
 * the server refuses (409) if any subscription pays with the card, e.g. one moved to it since the preview.
 * The list, and the Subscriptions pages' copies, are refreshed whatever the outcome.
 */
export function useDeleteSavedCard(customerId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ cardId, confirm }: { cardId: string; confirm: boolean }) =>
      sdk.client.fetch<DeleteSavedCardResult>(`${cardsUrl(customerId)}/${cardId}`, {
        method: "DELETE",
        query: confirm ? { confirm: "true" } : undefined,
      }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: savedCardsQueryKey(customerId) }),
        // The Subscriptions pages keep the customer's cards (and the subscriptions a delete left without one)
        // under their own keys (components/subscriptions/hooks.ts): read them again too.
        queryClient.invalidateQueries({ queryKey: ["dintero-subscriptions"] }),
      ]),
  })
}

/** "Visa •••• 1111" */
export function cardLabel(card: Pick<SavedCard, "brand" | "masked_pan" | "id">): string {
  const last4 = card.masked_pan?.replace(/\D/g, "").slice(-4)
  return [card.brand ?? "Card", last4 ? `•••• ${last4}` : null].filter(Boolean).join(" ") || card.id
}

/** Minor units in the currency's own number of decimals (0 for JPY, 3 for KWD), in the browser's locale. */
export function formatMinor(amount: number, currency: string): string {
  try {
    const format = new Intl.NumberFormat(undefined, { style: "currency", currency })
    const decimals = format.resolvedOptions().maximumFractionDigits ?? 2
    return format.format(amount / 10 ** decimals)
  } catch {
    return `${amount} ${currency} (minor units)`
  }
}

/** "299,00 kr / month", "49.00 € / 3 months" */
export function planLabel(plan: CardSubscription["plan"]): string {
  const every = plan.interval_count === 1 ? plan.interval : `${plan.interval_count} ${plan.interval}s`
  return `${formatMinor(plan.amount, plan.currency_code)} / ${every}`
}

export function subscriptionLine(subscription: CardSubscription): string {
  const ending = subscription.cancel_at_period_end ? ", ends at period end" : ""
  return `${subscription.id} (${subscription.status.replace("_", " ")}${ending}, ${planLabel(subscription.plan)})`
}

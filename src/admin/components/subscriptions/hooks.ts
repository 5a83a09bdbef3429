import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../../lib/sdk"
import type { PlanChangeBody, PlanChangePreview, SavedCard, Subscription, SubscriptionList, SubscriptionOverview } from "./types"

export const subscriptionKeys = {
  all: ["dintero-subscriptions"] as const,
  list: (query: Record<string, unknown>) => ["dintero-subscriptions", "list", query] as const,
  overview: () => ["dintero-subscriptions", "overview"] as const,
  detail: (id: string) => ["dintero-subscriptions", "detail", id] as const,
  cards: (customerId: string) => ["dintero-subscriptions", "customer-cards", customerId] as const,
}

export type SubscriptionListQuery = {
  limit: number
  offset: number
  q?: string
  status?: string[]
  customer_id?: string[]
  due_before?: string
  order?: string
}

export function useSubscriptions(query: SubscriptionListQuery) {
  return useQuery({
    queryKey: subscriptionKeys.list(query),
    queryFn: () => sdk.client.fetch<SubscriptionList>("/admin/subscriptions", { query }),
    // Keeps the rows on screen while the next page or filter loads, as Medusa's own tables do.
    placeholderData: keepPreviousData,
  })
}

export function useSubscriptionOverview() {
  return useQuery({
    queryKey: subscriptionKeys.overview(),
    queryFn: () => sdk.client.fetch<{ overview: SubscriptionOverview }>("/admin/subscriptions/overview"),
  })
}

export function useSubscription(id: string) {
  return useQuery({
    queryKey: subscriptionKeys.detail(id),
    queryFn: () => sdk.client.fetch<{ subscription: Subscription }>(`/admin/subscriptions/${id}`),
  })
}

/** The customer's saved cards (kept on the account holder: listing them does not call Dintero). */
export function useCustomerCards(customerId: string | undefined) {
  return useQuery({
    queryKey: subscriptionKeys.cards(customerId ?? ""),
    queryFn: () => sdk.client.fetch<{ payment_methods: SavedCard[] }>(`/admin/customers/${customerId}/dintero-payment-methods`),
    enabled: !!customerId,
    staleTime: 30_000,
  })
}

/** Customers for the list's customer filter: the first 100 by e-mail. */
export function useCustomerOptions() {
  return useQuery({
    queryKey: ["dintero-subscriptions", "customer-options"],
    queryFn: () => sdk.admin.customer.list({ limit: 100, order: "email", fields: "id,email,first_name,last_name" }),
    staleTime: 60_000,
  })
}

type Action =
  | { kind: "pause" }
  | { kind: "resume" }
  | { kind: "cancel"; at_period_end: boolean }
  | { kind: "charge" }
  | { kind: "skip" }
  | { kind: "unskip" }
  | { kind: "card"; card_id: string }
  | { kind: "change-plan"; body: PlanChangeBody }

export type ActionResult = {
  subscription: Subscription
  renewal?: { outcome: "renewed" | "failed" | "unknown" | "skipped"; reason?: string; error_message?: string | null }
  proration?: { amount: number; order_id: string | null } | null
}

function actionRequest(id: string, action: Action): [string, Record<string, unknown>] {
  switch (action.kind) {
    case "cancel":
      return [`/admin/subscriptions/${id}/cancel`, { at_period_end: action.at_period_end }]
    case "card":
      return [`/admin/subscriptions/${id}/card`, { card_id: action.card_id }]
    case "change-plan":
      return [`/admin/subscriptions/${id}/change-plan`, action.body]
    default:
      return [`/admin/subscriptions/${id}/${action.kind}`, {}]
  }
}

/** Every action on one subscription; afterwards the subscription, the list and the overview are read again. */
export function useSubscriptionAction(id: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (action: Action) => {
      const [path, body] = actionRequest(id, action)
      return sdk.client.fetch<ActionResult>(path, { method: "POST", body })
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: subscriptionKeys.all }),
  })
}

export function usePlanChangePreview(id: string) {
  return useMutation({
    mutationFn: (body: PlanChangeBody) =>
      sdk.client.fetch<{ preview: PlanChangePreview }>(`/admin/subscriptions/${id}/change-plan/preview`, { method: "POST", body }),
  })
}

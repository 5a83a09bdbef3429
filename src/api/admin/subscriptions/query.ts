import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"

export const ADMIN_SUBSCRIPTION_FIELDS = ["*", "charges.*", "orders.id", "orders.display_id", "orders.created_at"]

/** What a customer sees of their subscription: no dunning internals, no Dintero error texts. */
export const STORE_SUBSCRIPTION_FIELDS = [
  "id", "status", "card_id", "currency_code", "items", "interval", "interval_count", "current_period_start",
  "current_period_end", "next_charge_at", "cancel_at_period_end", "expires_at", "canceled_at", "ended_at",
  "paused_at", "created_at", "orders.id", "orders.display_id", "orders.created_at",
]

/** One subscription through Query; with `customerId`, another customer's is not found. */
export async function querySubscription(scope: MedusaContainer, id: string, fields: string[], customerId?: string) {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "subscription",
    fields,
    filters: { id, ...(customerId ? { customer_id: customerId } : {}) },
  })
  if (!data[0]) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Subscription ${id} was not found.`)
  }
  return data[0]
}

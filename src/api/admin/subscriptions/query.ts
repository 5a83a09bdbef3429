import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"

export const ADMIN_SUBSCRIPTION_FIELDS = [
  "*", "charges.*", "orders.id", "orders.display_id", "orders.created_at",
  "customer.id", "customer.email", "customer.first_name", "customer.last_name", "customer.company_name",
]

/** A row of the admin list: the subscription and its customer, without the charge history. */
export const ADMIN_SUBSCRIPTION_LIST_FIELDS = ADMIN_SUBSCRIPTION_FIELDS.filter((field) => !field.startsWith("charges"))

type ListQuery = { status?: string[]; customer_id?: string[]; q?: string; due_before?: string }

/**
 * The list route's filters. `q` matches the subscription id or e-mail (ILIKE, its wildcards escaped) or
 * any customer Medusa's own customer search finds (e-mail, names, company): the customer lives in another
 * module, so it is searched there and joined by id.
 */
export async function adminSubscriptionFilters(scope: MedusaContainer, list: ListQuery): Promise<Record<string, unknown>> {
  const filters: Record<string, unknown> = {}
  if (list.status?.length) {
    filters.status = { $in: list.status }
  }
  if (list.customer_id?.length) {
    filters.customer_id = { $in: list.customer_id }
  }
  if (list.due_before) {
    // A date alone ("2027-01-31") means the whole day: due at or before its last millisecond, UTC.
    const dueBefore = /^\d{4}-\d{2}-\d{2}$/.test(list.due_before)
      ? new Date(Date.parse(`${list.due_before}T00:00:00.000Z`) + 86_400_000 - 1)
      : new Date(list.due_before)
    filters.next_charge_at = { $lte: dueBefore }
  }
  if (list.q) {
    // Medusa's own `q` search wraps the text in ILIKE '%…%' as it is, so it gets the escaped text too.
    const literal = list.q.replace(/[\\%_]/g, (char) => `\\${char}`)
    const customers = await scope.resolve(Modules.CUSTOMER).listCustomers({ q: literal }, { select: ["id"], take: 500 })
    const pattern = `%${literal}%`
    filters.$or = [
      { id: { $ilike: pattern } },
      { email: { $ilike: pattern } },
      ...(customers.length ? [{ customer_id: { $in: customers.map((customer) => customer.id) } }] : []),
    ]
  }
  return filters
}

/** What a customer sees of their subscription: no dunning internals, no Dintero error texts. */
export const STORE_SUBSCRIPTION_FIELDS = [
  "id", "status", "card_id", "currency_code", "items", "interval", "interval_count", "current_period_start",
  "current_period_end", "next_charge_at", "cancel_at_period_end", "expires_at", "canceled_at", "ended_at",
  "paused_at", "trial_end", "skipped_periods", "pending_items", "pending_items_from", "created_at", "orders.id", "orders.display_id", "orders.created_at",
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

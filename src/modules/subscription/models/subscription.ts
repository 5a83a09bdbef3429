import { model } from "@medusajs/framework/utils"
import SubscriptionCharge from "./subscription-charge"

/** `trialing`: started, nothing charged yet for the plan; the first charge is at `trial_end`. */
export const SUBSCRIPTION_STATUSES = ["trialing", "active", "past_due", "paused", "canceled", "expired"] as const
export const INTERVAL_UNITS = ["day", "week", "month", "year"] as const

/**
 * A customer's subscription, paid with a card saved on their Dintero account holder. Periods are paid in
 * advance: the renewal at `current_period_end` pays for the period that starts there. Before its first
 * charge an admin-created subscription has an empty current period (start = end = its start date).
 */
const Subscription = model
  .define("subscription", {
    id: model.id({ prefix: "sub" }).primaryKey(),
    customer_id: model.text(),
    /** A `dcard_…` on the customer's Dintero account holder. */
    card_id: model.text(),
    status: model.enum([...SUBSCRIPTION_STATUSES]).default("active"),
    currency_code: model.text(),
    /** SubscriptionLine[]: what each period bills, minor units, VAT included. */
    items: model.json(),
    interval: model.enum([...INTERVAL_UNITS]),
    interval_count: model.number().default(1),
    anchor_day: model.number(),
    current_period_start: model.dateTime(),
    current_period_end: model.dateTime(),
    /** When the renewal job charges next (a period end, or a dunning retry); null when nothing is scheduled. */
    next_charge_at: model.dateTime().nullable(),
    cancel_at_period_end: model.boolean().default(false),
    /** A fixed-term subscription ends (status `expired`) instead of renewing into a period starting at or after this. */
    expires_at: model.dateTime().nullable(),
    canceled_at: model.dateTime().nullable(),
    ended_at: model.dateTime().nullable(),
    paused_at: model.dateTime().nullable(),
    /** End of the trial (free or reduced-price, paid at checkout): the first charge of the plan is then. */
    trial_end: model.dateTime().nullable(),
    /** ISO starts of the periods skipped at the customer's or admin's request (the next one may be among them). */
    skipped_periods: model.json().nullable(),
    /** SubscriptionLine[] the customer chose, billed from the period starting at `pending_items_from`. */
    pending_items: model.json().nullable(),
    pending_items_from: model.dateTime().nullable(),
    // What a renewal order needs, copied from the order that started the subscription (or given by the admin).
    region_id: model.text(),
    sales_channel_id: model.text().nullable(),
    email: model.text().nullable(),
    shipping_address: model.json().nullable(),
    billing_address: model.json().nullable(),
    source_order_id: model.text().nullable(),
    metadata: model.json().nullable(),
    charges: model.hasMany(() => SubscriptionCharge, { mappedBy: "subscription" }),
  })
  .indexes([
    { on: ["customer_id"] },
    { on: ["status", "next_charge_at"] },
    { on: ["source_order_id"] },
  ])

export default Subscription

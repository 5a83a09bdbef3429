import { model } from "@medusajs/framework/utils"
import Subscription from "./subscription"

export const CHARGE_STATUSES = ["pending", "unknown", "succeeded", "failed"] as const

/**
 * One attempt to charge a subscription's card for one period (or for a proration). The record is written
 * before Dintero is called, so a crash leaves a `pending` (or `unknown`) attempt that the next run retries
 * with the same merchant_reference: the provider then adopts the charge Dintero already made.
 */
const SubscriptionCharge = model
  .define("subscription_charge", {
    id: model.id({ prefix: "subch" }).primaryKey(),
    subscription: model.belongsTo(() => Subscription, { mappedBy: "charges" }),
    kind: model.enum(["renewal", "proration"]).default("renewal"),
    period_start: model.dateTime(),
    period_end: model.dateTime(),
    /** Dintero's merchant_reference: the same for every attempt of one period. */
    merchant_reference: model.text(),
    attempt: model.number(),
    status: model.enum([...CHARGE_STATUSES]).default("pending"),
    /** Minor units, VAT included. */
    amount: model.number(),
    currency_code: model.text(),
    /** The lines charged, as sent to Dintero; a retry of the period charges exactly these. */
    items: model.json(),
    card_id: model.text(),
    payment_collection_id: model.text().nullable(),
    payment_id: model.text().nullable(),
    transaction_id: model.text().nullable(),
    error_code: model.text().nullable(),
    error_message: model.text().nullable(),
    error_types: model.json().nullable(),
    /** Dintero's retry_policy.retry_codes for a decline. */
    retry_codes: model.json().nullable(),
    retry_after: model.dateTime().nullable(),
    next_retry_at: model.dateTime().nullable(),
    order_id: model.text().nullable(),
    metadata: model.json().nullable(),
  })
  .indexes([
    { on: ["merchant_reference", "attempt"], unique: true },
    { on: ["subscription_id", "period_start"] },
  ])

export default SubscriptionCharge

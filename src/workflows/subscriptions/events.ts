/** Events the subscriptions emit on Medusa's event bus (subscribe with `src/subscribers/*` in a store). */
export const SubscriptionEvents = {
  CREATED: "subscription.created",
  RENEWED: "subscription.renewed",
  PAYMENT_FAILED: "subscription.payment_failed",
  PAST_DUE: "subscription.past_due",
  CANCELED: "subscription.canceled",
  EXPIRED: "subscription.expired",
  /** The next period will be skipped (asked by the customer or an admin): `{ id, period_start, by }`. */
  SKIP_SCHEDULED: "subscription.skip_scheduled",
  /** A scheduled skip was taken back: `{ id, period_start, by }`. */
  SKIP_CANCELED: "subscription.skip_canceled",
  /** The renewal job passed over a skipped period without charging: `{ id, period_start, period_end }`. */
  PERIOD_SKIPPED: "subscription.period_skipped",
  /** The customer changed items or quantities, billed from `applies_from`: `{ id, applies_from, amount }`. */
  ITEMS_CHANGE_SCHEDULED: "subscription.items_change_scheduled",
} as const

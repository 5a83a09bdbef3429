/** Events the subscriptions emit on Medusa's event bus (subscribe with `src/subscribers/*` in a store). */
export const SubscriptionEvents = {
  CREATED: "subscription.created",
  RENEWED: "subscription.renewed",
  PAYMENT_FAILED: "subscription.payment_failed",
  PAST_DUE: "subscription.past_due",
  CANCELED: "subscription.canceled",
  EXPIRED: "subscription.expired",
} as const

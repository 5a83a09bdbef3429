import { StatusBadge } from "@medusajs/ui"
import { STATUS_COLORS, STATUS_LABELS } from "./format"
import type { Subscription } from "./types"

/** The status as Medusa's tables show one; "Cancels at period end" when an active one is set to end. */
export const SubscriptionStatusBadge = ({ subscription }: { subscription: Pick<Subscription, "status" | "cancel_at_period_end"> }) => {
  if (subscription.status === "active" && subscription.cancel_at_period_end) {
    return <StatusBadge color="orange">Cancels at period end</StatusBadge>
  }
  return <StatusBadge color={STATUS_COLORS[subscription.status]}>{STATUS_LABELS[subscription.status]}</StatusBadge>
}

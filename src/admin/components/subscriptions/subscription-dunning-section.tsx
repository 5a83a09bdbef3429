import { Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { formatDate } from "./format"
import type { Subscription, SubscriptionCharge } from "./types"

/**
 * Where the subscription stands after declines: the failed attempts of the period being collected, the
 * last decline, and when the renewal job tries next (or that it will not, after Dintero's DO_NOT_RETRY or
 * a used-up schedule, until the card is changed or "Charge now" is used).
 */
export function dunningState(subscription: Subscription) {
  const renewals = (subscription.charges ?? []).filter((charge) => charge.kind === "renewal")
  const latest = [...renewals].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0] as SubscriptionCharge | undefined
  const failures = latest ? renewals.filter((charge) => charge.merchant_reference === latest.merchant_reference && charge.status === "failed") : []
  const doNotRetry = !!latest?.retry_codes?.includes("DO_NOT_RETRY")
  return { latest, failures, doNotRetry }
}

export const SubscriptionDunningSection = ({ subscription }: { subscription: Subscription }) => {
  const { latest, failures, doNotRetry } = dunningState(subscription)
  const pastDue = subscription.status === "past_due"
  const retrying = pastDue || latest?.status === "failed"
  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between px-6 py-4">
        <Heading level="h2">Dunning</Heading>
        <StatusBadge color={pastDue ? "red" : retrying ? "orange" : "green"}>{pastDue ? "Collecting" : retrying ? "Retrying" : "In good standing"}</StatusBadge>
      </div>
      <div className="flex flex-col gap-y-2 px-6 py-4">
        {retrying && latest ? (
          <>
            <Text size="small">
              {failures.length} failed attempt{failures.length === 1 ? "" : "s"} for the period from {formatDate(latest.period_start)}.
            </Text>
            <Text size="small" className="text-ui-fg-subtle">
              Last decline: {[latest.error_code, latest.error_message].filter(Boolean).join(": ") || "–"}
            </Text>
            <Text size="small">
              {doNotRetry
                ? "Dintero said DO_NOT_RETRY: the card is never charged again without the customer. Change the card to collect."
                : subscription.next_charge_at
                  ? `Next attempt: ${formatDate(subscription.next_charge_at, true)}`
                  : "No further attempt is scheduled. Change the card or charge now."}
            </Text>
          </>
        ) : (
          <Text size="small" className="text-ui-fg-subtle">
            No failed charge for the current period.{" "}
            {subscription.status === "paused"
              ? "Paused: nothing is charged until it is resumed."
              : subscription.next_charge_at
                ? `Next charge: ${formatDate(subscription.next_charge_at, true)}.`
                : "No charge is scheduled."}
          </Text>
        )}
      </div>
    </Container>
  )
}

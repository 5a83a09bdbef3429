import { Container, Heading, Text } from "@medusajs/ui"
import type { ReactNode } from "react"
import { Link } from "react-router-dom"
import { SubscriptionCardLabel } from "./card-label"
import { customerLabel, formatDate, formatMinor, intervalLabel, periodAmount, planLabel } from "./format"
import { SubscriptionActions } from "./subscription-actions"
import { SubscriptionStatusBadge } from "./status-badge"
import type { Subscription } from "./types"

const Field = ({ label, children }: { label: string; children: ReactNode }) => (
  <div className="text-ui-fg-subtle grid grid-cols-2 items-center px-6 py-4">
    <Text size="small" leading="compact" weight="plus">
      {label}
    </Text>
    <div className="text-ui-fg-base">{typeof children === "string" ? <Text size="small">{children}</Text> : children}</div>
  </div>
)

const nextSkipped = (subscription: Subscription) =>
  (subscription.skipped_periods ?? []).some((start) => Date.parse(start) === Date.parse(subscription.current_period_end))

/** The head of the detail page: status, customer, plan, period, next charge, card, and the actions. */
export const SubscriptionGeneralSection = ({ subscription }: { subscription: Subscription }) => (
  <Container className="divide-y p-0">
    <div className="flex items-center justify-between px-6 py-4">
      <div className="flex flex-col">
        <Heading>{planLabel(subscription)}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {subscription.id}
        </Text>
      </div>
      <div className="flex items-center gap-x-2">
        <SubscriptionStatusBadge subscription={subscription} />
        <SubscriptionActions subscription={subscription} />
      </div>
    </div>
    <Field label="Customer">
      <Link to={`/customers/${subscription.customer_id}`} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-small">
        {customerLabel(subscription)}
      </Link>
    </Field>
    <Field label="Amount">{`${formatMinor(periodAmount(subscription.items), subscription.currency_code)} · ${intervalLabel(subscription.interval, subscription.interval_count)}`}</Field>
    <Field label="Current period">{`${formatDate(subscription.current_period_start)} – ${formatDate(subscription.current_period_end)}`}</Field>
    <Field label="Next charge">{formatDate(subscription.next_charge_at, true)}</Field>
    <Field label="Card">
      <SubscriptionCardLabel customerId={subscription.customer_id} cardId={subscription.card_id} />
    </Field>
    {subscription.cancel_at_period_end ? <Field label="Ends">{formatDate(subscription.current_period_end)}</Field> : null}
    {subscription.trial_end ? <Field label="Trial until">{formatDate(subscription.trial_end, true)}</Field> : null}
    {nextSkipped(subscription) ? <Field label="Skipped">{`Period starting ${formatDate(subscription.current_period_end)} (not charged)`}</Field> : null}
    {subscription.pending_items?.length ? (
      <Field label="From next period">{`${formatMinor(periodAmount(subscription.pending_items), subscription.currency_code)} (customer's item change from ${formatDate(subscription.pending_items_from ?? null)})`}</Field>
    ) : null}
    {subscription.expires_at ? <Field label="Fixed term until">{formatDate(subscription.expires_at)}</Field> : null}
    {subscription.paused_at ? <Field label="Paused">{formatDate(subscription.paused_at, true)}</Field> : null}
    {subscription.canceled_at ? <Field label="Canceled">{formatDate(subscription.canceled_at, true)}</Field> : null}
    {subscription.ended_at ? <Field label="Ended">{formatDate(subscription.ended_at, true)}</Field> : null}
    <Field label="Started">{formatDate(subscription.created_at, true)}</Field>
  </Container>
)

import { Container, Heading, Text } from "@medusajs/ui"
import { formatMinor } from "./format"
import { useSubscriptionOverview } from "./hooks"

const Figure = ({ label, value, hint }: { label: string; value: string; hint?: string }) => (
  <div className="flex flex-col gap-y-1 px-6 py-4">
    <Text size="small" leading="compact" className="text-ui-fg-subtle">
      {label}
    </Text>
    <Heading level="h2">{value}</Heading>
    {hint ? (
      <Text size="xsmall" className="text-ui-fg-muted">
        {hint}
      </Text>
    ) : null}
  </div>
)

/** Active, past due, canceled this month, and MRR per currency (computed by GET /admin/subscriptions/overview). */
export const SubscriptionOverviewCards = () => {
  const { data, isError, error } = useSubscriptionOverview()
  if (isError) {
    return (
      <Container className="px-6 py-4">
        <Text size="small" className="text-ui-fg-error">
          {error.message}
        </Text>
      </Container>
    )
  }
  const overview = data?.overview
  const mrr = overview?.monthly_recurring_revenue ?? []
  return (
    <Container className="grid grid-cols-2 divide-x p-0 md:grid-cols-4" data-testid="subscription-overview">
      <Figure label="Active" value={overview ? String(overview.active) : "–"} hint={overview?.paused ? `${overview.paused} paused` : undefined} />
      <Figure label="Past due" value={overview ? String(overview.past_due) : "–"} />
      <Figure label="Canceled this month" value={overview ? String(overview.canceled_this_month) : "–"} />
      <div className="flex flex-col gap-y-1 px-6 py-4">
        <Text size="small" leading="compact" className="text-ui-fg-subtle">
          Monthly recurring revenue
        </Text>
        {mrr.length ? (
          mrr.map((row) => (
            <Heading level="h2" key={row.currency_code}>
              {formatMinor(row.amount, row.currency_code)}
            </Heading>
          ))
        ) : (
          <Heading level="h2">–</Heading>
        )}
        <Text size="xsmall" className="text-ui-fg-muted">
          Active and past due, VAT incl.; yearly plans as 1/12
        </Text>
      </div>
    </Container>
  )
}

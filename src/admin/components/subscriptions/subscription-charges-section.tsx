import { Container, Heading, StatusBadge, Table, Text, Tooltip } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { formatDate, formatMinor } from "./format"
import type { Subscription, SubscriptionCharge } from "./types"

const CHARGE_COLORS: Record<SubscriptionCharge["status"], "green" | "red" | "orange" | "grey"> = {
  succeeded: "green",
  failed: "red",
  unknown: "orange",
  pending: "grey",
}

/** Dintero's side of an attempt: approved, or the decline code and text with its retry advice. */
function outcome(charge: SubscriptionCharge): string {
  if (charge.status === "succeeded") return "Approved"
  if (charge.status === "pending") return "Sent, no answer yet"
  if (charge.status === "unknown") return charge.error_message ?? "No answer from Dintero; retried with the same reference"
  return [charge.error_code, charge.error_message].filter(Boolean).join(": ") || "Declined"
}

/**
 * Every charge attempt, newest first: the period it pays, Dintero's outcome and decline reason, the retry
 * codes Dintero gave, and the order a successful one created.
 */
export const SubscriptionChargesSection = ({ subscription }: { subscription: Subscription }) => {
  const charges = [...(subscription.charges ?? [])].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">Charge attempts</Heading>
      </div>
      {charges.length ? (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Attempted</Table.HeaderCell>
              <Table.HeaderCell>Period</Table.HeaderCell>
              <Table.HeaderCell>Status</Table.HeaderCell>
              <Table.HeaderCell>Dintero outcome</Table.HeaderCell>
              <Table.HeaderCell className="text-right">Amount</Table.HeaderCell>
              <Table.HeaderCell>Order</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {charges.map((charge) => (
              <Table.Row key={charge.id}>
                <Table.Cell>
                  <div className="flex flex-col">
                    <Text size="small">{formatDate(charge.created_at, true)}</Text>
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      {charge.kind === "proration" ? "Plan change" : "Renewal"} · attempt {charge.attempt}
                    </Text>
                  </div>
                </Table.Cell>
                <Table.Cell>{`${formatDate(charge.period_start)} – ${formatDate(charge.period_end)}`}</Table.Cell>
                <Table.Cell>
                  <StatusBadge color={CHARGE_COLORS[charge.status]}>{charge.status}</StatusBadge>
                </Table.Cell>
                <Table.Cell className="max-w-[280px]">
                  <div className="flex flex-col">
                    <Text size="small" className="whitespace-normal">
                      {outcome(charge)}
                    </Text>
                    {charge.retry_codes?.length ? (
                      <Text size="xsmall" className="text-ui-fg-subtle">
                        {charge.retry_codes.join(", ")}
                        {charge.retry_after ? ` after ${formatDate(charge.retry_after, true)}` : ""}
                      </Text>
                    ) : null}
                    {charge.transaction_id ? (
                      <Tooltip content="Dintero transaction">
                        <Text size="xsmall" className="text-ui-fg-muted truncate">
                          {charge.transaction_id}
                        </Text>
                      </Tooltip>
                    ) : null}
                  </div>
                </Table.Cell>
                <Table.Cell className="text-right">{formatMinor(charge.amount, charge.currency_code)}</Table.Cell>
                <Table.Cell>
                  {charge.order_id ? (
                    <Link to={`/orders/${charge.order_id}`} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-small">
                      View order
                    </Link>
                  ) : (
                    "–"
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      ) : (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            No charge yet: the first one is due {formatDate(subscription.next_charge_at, true)}.
          </Text>
        </div>
      )}
    </Container>
  )
}

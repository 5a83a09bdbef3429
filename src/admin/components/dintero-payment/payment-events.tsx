import { Badge, Table, Text } from "@medusajs/ui"
import type { DinteroPaymentPanel } from "../../lib/dintero-payments"
import { formatMinor } from "../../lib/money"

type Transaction = NonNullable<DinteroPaymentPanel["dintero"]>

const EVENT_LABELS: Record<string, string> = {
  INITIALIZE: "Initialized",
  AUTHORIZE: "Authorized",
  CAPTURE: "Captured",
  REFUND: "Refunded",
  VOID: "Voided",
  INITIATE_CAPTURE: "Capture requested",
  INITIATE_REFUND: "Refund requested",
  INITIATE_VOID: "Void requested",
  SETTLEMENT: "Settled",
}

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "–")

/** Dintero's event history of the transaction: what moved, by whom (Medusa's reference or none), when. */
export const PaymentEvents = ({ transaction }: { transaction: Transaction }) => {
  const { currency, decimals } = transaction.amounts
  return (
    <Table>
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>Event</Table.HeaderCell>
          <Table.HeaderCell className="text-right">Amount</Table.HeaderCell>
          <Table.HeaderCell>Reference</Table.HeaderCell>
          <Table.HeaderCell>Time</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {transaction.events.map((event, index) => (
          <Table.Row key={event.id ?? index} data-testid="dintero-event">
            <Table.Cell>
              <div className="flex items-center gap-x-2">
                <Text size="small" leading="compact">
                  {EVENT_LABELS[event.event] ?? event.event}
                </Text>
                {!event.success ? (
                  <Badge size="2xsmall" color="red">
                    failed
                  </Badge>
                ) : null}
              </div>
              {event.error?.message ? (
                <Text size="xsmall" className="text-ui-fg-error">
                  {event.error.message}
                  {event.error.code ? ` (${event.error.code})` : ""}
                </Text>
              ) : null}
            </Table.Cell>
            <Table.Cell className="text-right">{event.amount === null ? "–" : formatMinor(event.amount, currency, decimals)}</Table.Cell>
            <Table.Cell>
              <Text size="small" leading="compact" className="break-all">
                {event.reference ?? "–"}
              </Text>
              {["CAPTURE", "REFUND"].includes(event.event) ? (
                <Text size="xsmall" className="text-ui-fg-subtle">
                  {event.made_by_medusa ? "Medusa" : "Dintero Backoffice or Dintero"}
                </Text>
              ) : null}
            </Table.Cell>
            <Table.Cell>{time(event.created_at)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  )
}

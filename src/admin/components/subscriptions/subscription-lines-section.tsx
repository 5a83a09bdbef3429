import { Container, Heading, Table, Text } from "@medusajs/ui"
import { formatMinor, periodAmount } from "./format"
import type { Subscription } from "./types"

/** What each period bills, VAT included. */
export const SubscriptionLinesSection = ({ subscription }: { subscription: Subscription }) => {
  const currency = subscription.currency_code
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">Lines</Heading>
      </div>
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Item</Table.HeaderCell>
            <Table.HeaderCell className="text-right">Quantity</Table.HeaderCell>
            <Table.HeaderCell className="text-right">Unit price</Table.HeaderCell>
            <Table.HeaderCell className="text-right">VAT</Table.HeaderCell>
            <Table.HeaderCell className="text-right">Total</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {subscription.items.map((line) => (
            <Table.Row key={line.line_id}>
              <Table.Cell>
                {line.title}
                {line.type === "shipping" ? <Text size="xsmall" className="text-ui-fg-subtle">Shipping</Text> : null}
              </Table.Cell>
              <Table.Cell className="text-right">{line.quantity}</Table.Cell>
              <Table.Cell className="text-right">{formatMinor(line.unit_amount, currency)}</Table.Cell>
              <Table.Cell className="text-right">{line.vat} %</Table.Cell>
              <Table.Cell className="text-right">{formatMinor(line.unit_amount * line.quantity, currency)}</Table.Cell>
            </Table.Row>
          ))}
          <Table.Row>
            <Table.Cell>
              <Text size="small" weight="plus">
                Per period
              </Text>
            </Table.Cell>
            <Table.Cell />
            <Table.Cell />
            <Table.Cell />
            <Table.Cell className="text-right">
              <Text size="small" weight="plus">
                {formatMinor(periodAmount(subscription.items), currency)}
              </Text>
            </Table.Cell>
          </Table.Row>
        </Table.Body>
      </Table>
    </Container>
  )
}

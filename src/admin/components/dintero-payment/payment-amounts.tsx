import { Text } from "@medusajs/ui"
import type { DinteroPaymentPanel } from "../../lib/dintero-payments"
import { formatMinor } from "../../lib/money"

type Amounts = NonNullable<DinteroPaymentPanel["dintero"]>["amounts"]

/** Authorized, captured, refunded, released and still capturable, as Dintero holds them. */
export const PaymentAmounts = ({ amounts }: { amounts: Amounts }) => {
  const money = (value: number) => formatMinor(value, amounts.currency, amounts.decimals)
  const rows: Array<[string, number, boolean?]> = [
    ["Authorized", amounts.authorized],
    ["Captured", amounts.captured],
    ["Refunded", amounts.refunded],
    ["Released", amounts.released],
    ["Capture in progress", amounts.capturing, amounts.capturing === 0],
    ["Refund in progress", amounts.refunding, amounts.refunding === 0],
    ["Still capturable", amounts.capturable],
  ]
  return (
    <div className="grid grid-cols-2 gap-x-4 gap-y-1 sm:grid-cols-4">
      {rows
        .filter(([, , hidden]) => !hidden)
        .map(([label, value]) => (
          <div key={label} className="flex flex-col">
            <Text size="xsmall" leading="compact" className="text-ui-fg-subtle">
              {label}
            </Text>
            <Text size="small" leading="compact" weight="plus" data-testid={`dintero-amount-${label.toLowerCase().replace(/ /g, "-")}`}>
              {money(value)}
            </Text>
          </div>
        ))}
    </div>
  )
}

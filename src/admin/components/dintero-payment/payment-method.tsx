import { Text } from "@medusajs/ui"
import type { DinteroPaymentPanel } from "../../lib/dintero-payments"

type Method = NonNullable<DinteroPaymentPanel["dintero"]>["payment_method"]

/** "Visa •••• 1111 (12/28)" for a card, "Vipps", "Walley invoice", … otherwise. */
export const PaymentMethod = ({ method }: { method: Method }) => {
  const card = method.card
  const last4 = card?.masked_pan?.replace(/[^0-9]/g, "").slice(-4)
  return (
    <div className="flex flex-col">
      <Text size="small" leading="compact" weight="plus">
        {card ? [card.brand ?? method.label, last4 ? `•••• ${last4}` : null].filter(Boolean).join(" ") : method.label}
      </Text>
      <Text size="small" leading="compact" className="text-ui-fg-subtle">
        {[card?.expiry_date ? `expires ${card.expiry_date}` : null, method.payment_product_type].filter(Boolean).join(" · ")}
      </Text>
    </div>
  )
}

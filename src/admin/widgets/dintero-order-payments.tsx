import { defineWidgetConfig } from "@medusajs/admin-sdk"
import { Badge, Container, Heading, Text } from "@medusajs/ui"
import { useEffect, useState } from "react"

type DinteroPayment = {
  id: string
  amount: number
  currency_code: string
  data?: { dintero?: { session_id?: string; transaction_id?: string; transaction_status?: string; payment_method?: string } }
}

const STATUS_COLORS: Record<string, "green" | "orange" | "red" | "blue" | "grey"> = {
  AUTHORIZED: "blue",
  CAPTURED: "green",
  PARTIALLY_CAPTURED: "green",
  PARTIALLY_REFUNDED: "orange",
  PARTIALLY_CAPTURED_REFUNDED: "orange",
  REFUNDED: "orange",
  AUTHORIZATION_VOIDED: "grey",
  ON_HOLD: "orange",
  FAILED: "red",
  DECLINED: "red",
}

/**
 * Shows the Dintero side of an order's payments: the ids a merchant looks up in Dintero Backoffice or gives
 * Dintero support, and the last transaction status the plugin saw.
 */
const DinteroOrderPayments = ({ data: order }: { data: { id: string } }) => {
  const [payments, setPayments] = useState<DinteroPayment[]>([])

  useEffect(() => {
    const fields = encodeURIComponent("id,*payment_collections.payments")
    fetch(`/admin/orders/${order.id}?fields=${fields}`, { credentials: "include" })
      .then((response) => (response.ok ? response.json() : { order: {} }))
      .then(({ order: loaded }) => {
        const all: Array<DinteroPayment & { provider_id: string }> = (loaded.payment_collections ?? []).flatMap(
          (collection: { payments?: Array<DinteroPayment & { provider_id: string }> }) => collection.payments ?? []
        )
        setPayments(all.filter((payment) => payment.provider_id.startsWith("pp_dintero_")))
      })
      .catch(() => setPayments([]))
  }, [order.id])

  if (!payments.length) {
    return null
  }
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">Dintero</Heading>
      </div>
      {payments.map((payment) => {
        const dintero = payment.data?.dintero ?? {}
        const status = dintero.transaction_status ?? "NOT PAID"
        return (
          <div key={payment.id} className="flex flex-col gap-y-2 px-6 py-4">
            <div className="flex items-center justify-between">
              <Text size="small" weight="plus">
                {payment.amount} {payment.currency_code.toUpperCase()}
              </Text>
              <Badge size="2xsmall" color={STATUS_COLORS[status] ?? "grey"}>
                {status}
              </Badge>
            </div>
            {dintero.payment_method ? (
              <Text size="small" className="text-ui-fg-subtle">
                Paid with {dintero.payment_method}
              </Text>
            ) : null}
            <Text size="small" className="text-ui-fg-subtle break-all">
              Transaction: {dintero.transaction_id ?? "–"}
            </Text>
            <Text size="small" className="text-ui-fg-subtle break-all">
              Checkout session: {dintero.session_id ?? "–"}
            </Text>
          </div>
        )
      })}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "order.details.side.after" })

export default DinteroOrderPayments

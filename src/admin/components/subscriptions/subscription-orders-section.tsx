import { Container, Heading, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { formatDate } from "./format"
import type { Subscription } from "./types"

/** The order that started the subscription and every renewal (and plan-change) order, linked to Medusa's order page. */
export const SubscriptionOrdersSection = ({ subscription }: { subscription: Subscription }) => {
  const orders = [...(subscription.orders ?? [])].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">Orders</Heading>
      </div>
      {orders.length ? (
        orders.map((order) => (
          <div key={order.id} className="flex items-center justify-between px-6 py-3">
            <Link to={`/orders/${order.id}`} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-small">
              Order #{order.display_id}
            </Link>
            <Text size="small" className="text-ui-fg-subtle">
              {order.id === subscription.source_order_id ? "First order · " : ""}
              {formatDate(order.created_at)}
            </Text>
          </div>
        ))
      ) : (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-subtle">
            No orders yet.
          </Text>
        </div>
      )}
    </Container>
  )
}

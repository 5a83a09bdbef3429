import { defineRouteConfig } from "@medusajs/admin-sdk"
import { ArrowPath } from "@medusajs/icons"
import { Container } from "@medusajs/ui"
import { SubscriptionOverviewCards } from "../../components/subscriptions/subscription-overview"
import { SubscriptionsTable } from "../../components/subscriptions/subscriptions-table"

/** /app/subscriptions: the overview figures and the list. */
const SubscriptionsPage = () => (
  <div className="flex flex-col gap-y-3">
    <SubscriptionOverviewCards />
    <Container className="divide-y p-0">
      <SubscriptionsTable />
    </Container>
  </div>
)

export const config = defineRouteConfig({
  label: "Subscriptions",
  icon: ArrowPath,
})

export default SubscriptionsPage

import { Container, Heading, Text } from "@medusajs/ui"
import { useParams } from "react-router-dom"
import { SubscriptionChargesSection } from "../../../components/subscriptions/subscription-charges-section"
import { SubscriptionDunningSection } from "../../../components/subscriptions/subscription-dunning-section"
import { SubscriptionGeneralSection } from "../../../components/subscriptions/subscription-general-section"
import { useSubscription } from "../../../components/subscriptions/hooks"
import { SubscriptionLinesSection } from "../../../components/subscriptions/subscription-lines-section"
import { SubscriptionOrdersSection } from "../../../components/subscriptions/subscription-orders-section"

/** /app/subscriptions/:id, laid out like Medusa's own detail pages: main column and a sidebar. */
const SubscriptionDetailPage = () => {
  const { id } = useParams()
  const { data, isLoading, isError, error } = useSubscription(id!)

  if (isLoading) {
    return (
      <Container className="px-6 py-4">
        <Text size="small">Loading…</Text>
      </Container>
    )
  }
  if (isError || !data) {
    return (
      <Container className="flex flex-col gap-y-2 px-6 py-4">
        <Heading>Subscription</Heading>
        <Text size="small" className="text-ui-fg-error">
          {error?.message ?? "Not found"}
        </Text>
      </Container>
    )
  }
  const subscription = data.subscription
  return (
    <div className="flex flex-col gap-x-4 gap-y-3 xl:flex-row xl:items-start">
      <div className="flex w-full flex-col gap-y-3">
        <SubscriptionGeneralSection subscription={subscription} />
        <SubscriptionLinesSection subscription={subscription} />
        <SubscriptionChargesSection subscription={subscription} />
      </div>
      <div className="flex w-full flex-col gap-y-3 xl:max-w-[440px]">
        <SubscriptionDunningSection subscription={subscription} />
        <SubscriptionOrdersSection subscription={subscription} />
      </div>
    </div>
  )
}

export default SubscriptionDetailPage

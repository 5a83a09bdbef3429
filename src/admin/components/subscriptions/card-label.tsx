import { Text, Tooltip } from "@medusajs/ui"
import { cardLabel } from "./format"
import { useCustomerCards } from "./hooks"

/**
 * The subscription's card as brand and last digits. The customer's cards are read once per customer
 * (React Query shares the request between rows). A card the customer no longer has (deleted from the
 * customer page) says so: its bare id would read as a card that still pays.
 */
export const SubscriptionCardLabel = ({ customerId, cardId }: { customerId: string; cardId: string }) => {
  const { data } = useCustomerCards(customerId)
  const card = data?.payment_methods.find((saved) => saved.id === cardId)
  if (data && !card) {
    return (
      <Tooltip content={`${cardId} is no longer saved: renewals fail until another card is set on the subscription.`}>
        <Text size="small" className="text-ui-fg-error">
          Card deleted
        </Text>
      </Tooltip>
    )
  }
  return (
    <Text size="small" className={card?.blocked || card?.expired ? "text-ui-fg-error" : undefined}>
      {cardLabel(card, cardId)}
      {card?.blocked ? " · blocked" : card?.expired ? " · expired" : ""}
    </Text>
  )
}

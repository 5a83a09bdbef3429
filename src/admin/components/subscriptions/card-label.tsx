import { Text } from "@medusajs/ui"
import { cardLabel } from "./format"
import { useCustomerCards } from "./hooks"

/**
 * The subscription's card as brand and last digits. The customer's cards are read once per customer
 * (React Query shares the request between rows); a card no longer saved shows its id.
 */
export const SubscriptionCardLabel = ({ customerId, cardId }: { customerId: string; cardId: string }) => {
  const { data } = useCustomerCards(customerId)
  const card = data?.payment_methods.find((saved) => saved.id === cardId)
  return (
    <Text size="small" className={card?.blocked || card?.expired ? "text-ui-fg-error" : undefined}>
      {cardLabel(card, cardId)}
      {card?.blocked ? " · blocked" : card?.expired ? " · expired" : ""}
    </Text>
  )
}

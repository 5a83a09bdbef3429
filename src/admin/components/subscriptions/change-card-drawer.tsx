import { Badge, Button, Drawer, Label, RadioGroup, Text } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { cardLabel } from "./format"
import { useCustomerCards } from "./hooks"
import type { Subscription } from "./types"
import { useRunAction } from "./use-run-action"

type Props = { subscription: Subscription; open: boolean; onOpenChange: (open: boolean) => void }

/**
 * Points the subscription at another card the customer saved with Dintero. Blocked (DO_NOT_RETRY) and
 * expired cards are shown but cannot be picked: the server refuses them too, with the reason.
 */
export const ChangeCardDrawer = ({ subscription, open, onOpenChange }: Props) => {
  const { data, isLoading, isError, error } = useCustomerCards(open ? subscription.customer_id : undefined)
  const [cardId, setCardId] = useState(subscription.card_id)
  const { run, isPending } = useRunAction(subscription.id)
  const cards = data?.payment_methods ?? []

  useEffect(() => {
    if (open) {
      setCardId(subscription.card_id)
    }
  }, [open, subscription.card_id])

  const save = async () => {
    const card = cards.find((saved) => saved.id === cardId)
    const result = await run(
      { kind: "card", card_id: cardId },
      {
        title: "Change card?",
        description: `Future charges of this subscription go to ${cardLabel(card, cardId)}.${
          subscription.status === "past_due" ? " The failed period is retried on it at the next renewal run." : ""
        }`,
        confirmText: "Change card",
      },
      "Card changed"
    )
    if (result) {
      onOpenChange(false)
    }
  }

  return (
    <Drawer open={open} onOpenChange={onOpenChange}>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>Change card</Drawer.Title>
          <Drawer.Description>The customer's cards saved with Dintero.</Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {isLoading ? <Text size="small">Loading cards…</Text> : null}
          {isError ? (
            <Text size="small" className="text-ui-fg-error">
              {error.message}
            </Text>
          ) : null}
          {!isLoading && !cards.length ? (
            <Text size="small" className="text-ui-fg-subtle">
              The customer has no saved cards. A card is saved when the customer pays a checkout and asks to keep the card.
            </Text>
          ) : null}
          <RadioGroup value={cardId} onValueChange={setCardId} className="flex flex-col gap-y-3">
            {cards.map((card) => {
              const unusable = !!card.blocked || !!card.expired
              return (
                <div key={card.id} className="flex items-start gap-x-3">
                  <RadioGroup.Item value={card.id} id={`card-${card.id}`} disabled={unusable && card.id !== subscription.card_id} />
                  <div className="flex flex-col gap-y-1">
                    <Label htmlFor={`card-${card.id}`} size="small" weight="plus">
                      {cardLabel(card, card.id)}
                    </Label>
                    <div className="flex flex-wrap gap-1">
                      {card.id === subscription.card_id ? <Badge size="2xsmall">Current</Badge> : null}
                      {card.blocked ? <Badge size="2xsmall" color="red">Blocked by Dintero (DO_NOT_RETRY)</Badge> : null}
                      {card.expired ? <Badge size="2xsmall" color="orange">Expired</Badge> : null}
                    </div>
                    <Text size="xsmall" className="text-ui-fg-subtle">
                      {card.id}
                    </Text>
                  </div>
                </div>
              )
            })}
          </RadioGroup>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              Close
            </Button>
          </Drawer.Close>
          <Button size="small" onClick={save} isLoading={isPending} disabled={!cardId || cardId === subscription.card_id}>
            Save
          </Button>
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}

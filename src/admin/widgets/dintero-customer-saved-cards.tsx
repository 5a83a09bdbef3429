import { defineWidgetConfig } from "@medusajs/admin-sdk"
import {
  Badge,
  Container,
  createDataTableColumnHelper,
  DataTable,
  Heading,
  StatusBadge,
  Text,
  toast,
  Tooltip,
  useDataTable,
  usePrompt,
} from "@medusajs/ui"
import { Link } from "react-router-dom"
import {
  cardLabel,
  fetchSavedCard,
  planLabel,
  subscriptionLine,
  useDeleteSavedCard,
  useSavedCards,
  type CardSource,
  type CardSubscription,
  type SavedCard,
} from "../lib/dintero-saved-cards"

const STATUS_COLORS: Record<string, "green" | "orange" | "grey" | "red"> = {
  active: "green",
  past_due: "red",
  paused: "orange",
}

const columnHelper = createDataTableColumnHelper<SavedCard>()

const CardCell = ({ card }: { card: SavedCard }) => (
  <div className="flex items-center gap-x-2">
    <Text size="small" leading="compact" weight="plus">
      {cardLabel(card)}
    </Text>
    {card.blocked ? (
      <Tooltip content={card.blocked.message ?? "Dintero declined a charge with DO_NOT_RETRY: it is not charged without the customer again."}>
        <Badge size="2xsmall" color="red">
          Blocked
        </Badge>
      </Tooltip>
    ) : null}
    {card.expired ? (
      <Badge size="2xsmall" color="orange">
        Expired
      </Badge>
    ) : null}
  </div>
)

const SourceCell = ({ source }: { source: CardSource }) => {
  if (source.type === "transaction") {
    return (
      <Text size="small" leading="compact" className="text-ui-fg-subtle">
        {source.transaction_id ? `Dintero transaction ${source.transaction_id}` : "Unknown"}
      </Text>
    )
  }
  const order = source.order_display_id ? `#${source.order_display_id}` : source.order_id
  return (
    <Text size="small" leading="compact" className="text-ui-fg-subtle">
      {source.type === "subscription_checkout" ? "Subscription checkout, order " : "Checkout, order "}
      <Link to={`/orders/${source.order_id}`} className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
        {order}
      </Link>
    </Text>
  )
}

const SubscriptionsCell = ({ subscriptions }: { subscriptions: CardSubscription[] }) => {
  if (!subscriptions.length) {
    return (
      <Text size="small" leading="compact" className="text-ui-fg-muted">
        None
      </Text>
    )
  }
  return (
    <div className="flex flex-col gap-y-1 py-2">
      {subscriptions.map((subscription) => (
        <div key={subscription.id} className="flex items-center gap-x-2">
          <StatusBadge color={STATUS_COLORS[subscription.status] ?? "grey"}>{subscription.status.replace("_", " ")}</StatusBadge>
          <Tooltip content={subscription.plan.description || subscription.id}>
            <Link to={`/subscriptions/${subscription.id}`} className="txt-compact-small text-ui-fg-interactive hover:text-ui-fg-interactive-hover">
              {planLabel(subscription.plan)}
            </Link>
          </Tooltip>
        </div>
      ))}
    </div>
  )
}

/**
 * "Saved cards (Dintero)" on the customer page: the cards the customer saved at a Dintero checkout, masked,
 * with where each came from and the subscriptions it pays, and a delete behind a confirmation that names the
 * subscriptions it would leave without a card.
 */
const DinteroCustomerSavedCards = ({ data: customer }: { data: { id: string } }) => {
  const prompt = usePrompt()
  const { data, isLoading, isError, error } = useSavedCards(customer.id)
  const deleteCard = useDeleteSavedCard(customer.id)

  const onDelete = async (listed: SavedCard) => {
    let card = listed
    try {
      card = (await fetchSavedCard(customer.id, listed.id)).payment_method
    } catch (reason) {
      toast.error((reason as Error).message)
      return
    }
    const orphaned = card.subscriptions
    const description = orphaned.length
      ? `${cardLabel(card)} pays ${orphaned.length === 1 ? "this subscription" : `these ${orphaned.length} subscriptions`}: ` +
        `${orphaned.map(subscriptionLine).join("; ")}. Deleting the card leaves ${orphaned.length === 1 ? "it" : "them"} without a card: ` +
        "renewals fail until the customer saves a new card and it is set on the subscription."
      : `${cardLabel(card)} will no longer be offered to the customer at checkout. No subscription pays with it.`
    const confirmed = await prompt({
      title: orphaned.length ? "Delete a card that subscriptions use?" : "Delete saved card?",
      description,
      confirmText: "Delete",
      cancelText: "Cancel",
    })
    if (!confirmed) {
      return
    }
    deleteCard.mutate(
      { cardId: card.id, confirm: orphaned.length > 0 },
      {
        onSuccess: (result) => {
          const left = result.subscriptions_without_card
          toast.success(`${cardLabel(card)} was deleted`, {
            description: left.length ? `Without a card now: ${left.map((subscription) => subscription.id).join(", ")}` : undefined,
          })
        },
        onError: (reason) => toast.error(reason.message),
      }
    )
  }

  const columns = [
    columnHelper.accessor("masked_pan", { header: "Card", cell: ({ row }) => <CardCell card={row.original} /> }),
    columnHelper.accessor("expiry_date", { header: "Expiry", cell: ({ getValue }) => getValue() ?? "–" }),
    columnHelper.accessor("source", { header: "Saved from", cell: ({ getValue }) => <SourceCell source={getValue()} /> }),
    columnHelper.accessor("subscriptions", {
      header: "Subscriptions",
      cell: ({ getValue }) => <SubscriptionsCell subscriptions={getValue()} />,
    }),
    columnHelper.action({
      actions: [{ label: "Delete", onClick: ({ row }) => void onDelete(row.original) }],
    }),
  ]

  const cards = data?.payment_methods ?? []
  const table = useDataTable({
    data: cards,
    columns,
    getRowId: (card) => card.id,
    rowCount: cards.length,
    isLoading: isLoading || deleteCard.isPending,
  })

  return (
    <Container className="divide-y p-0">
      <div className="flex flex-col gap-y-1 px-6 py-4">
        <Heading level="h2">Saved cards (Dintero)</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Cards saved at a Dintero checkout, for one-click payments and subscriptions. Card tokens stay with the server.
        </Text>
      </div>
      {isError ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            The saved cards could not be loaded: {(error as Error).message}
          </Text>
        </div>
      ) : (
        <DataTable instance={table}>
          <DataTable.Table
            emptyState={{ empty: { heading: "No saved cards", description: "The customer has not saved a card at a Dintero checkout." } }}
          />
        </DataTable>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({ zone: "customer.details.after" })

export default DinteroCustomerSavedCards

import {
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  DataTable,
  type DataTableFilteringState,
  type DataTablePaginationState,
  type DataTableSortingState,
  Heading,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { useNavigate, useSearchParams } from "react-router-dom"
import { SubscriptionCardLabel } from "./card-label"
import { customerLabel, formatDate, formatMinor, intervalLabel, periodAmount, planLabel, STATUS_LABELS } from "./format"
import { useCustomerOptions, useSubscriptions, type SubscriptionListQuery } from "./hooks"
import { SubscriptionStatusBadge } from "./status-badge"
import type { Subscription, SubscriptionStatus } from "./types"

const PAGE_SIZE = 20
const columnHelper = createDataTableColumnHelper<Subscription>()
const filterHelper = createDataTableFilterHelper<Subscription>()

const columns = [
  columnHelper.accessor("status", {
    header: "Status",
    cell: ({ row }) => <SubscriptionStatusBadge subscription={row.original} />,
  }),
  columnHelper.accessor("customer_id", {
    header: "Customer",
    cell: ({ row }) => (
      <div className="flex flex-col">
        <Text size="small">{customerLabel(row.original)}</Text>
        {row.original.customer?.email && customerLabel(row.original) !== row.original.customer.email ? (
          <Text size="xsmall" className="text-ui-fg-subtle">
            {row.original.customer.email}
          </Text>
        ) : null}
      </div>
    ),
  }),
  columnHelper.accessor("items", {
    header: "Plan",
    cell: ({ row }) => (
      <div className="flex flex-col">
        <Text size="small">{planLabel(row.original)}</Text>
        <Text size="xsmall" className="text-ui-fg-subtle">
          {intervalLabel(row.original.interval, row.original.interval_count)}
        </Text>
      </div>
    ),
  }),
  columnHelper.display({
    id: "amount",
    header: "Amount",
    cell: ({ row }) => formatMinor(periodAmount(row.original.items ?? []), row.original.currency_code),
  }),
  columnHelper.accessor("next_charge_at", {
    header: "Next charge",
    enableSorting: true,
    sortLabel: "Next charge",
    sortAscLabel: "Soonest first",
    sortDescLabel: "Latest first",
    cell: ({ getValue }) => formatDate(getValue()),
  }),
  columnHelper.accessor("card_id", {
    header: "Card",
    cell: ({ row }) => <SubscriptionCardLabel customerId={row.original.customer_id} cardId={row.original.card_id} />,
  }),
  columnHelper.accessor("created_at", {
    header: "Created",
    enableSorting: true,
    sortLabel: "Created",
    sortAscLabel: "Oldest first",
    sortDescLabel: "Newest first",
    cell: ({ getValue }) => formatDate(getValue()),
  }),
]

const STATUSES: SubscriptionStatus[] = ["trialing", "active", "past_due", "paused", "canceled", "expired"]

function inDays(days: number): string {
  const date = new Date()
  date.setHours(23, 59, 59, 999)
  date.setDate(date.getDate() + days)
  return date.toISOString()
}

/**
 * A select filter's values: Medusa's DataTable keeps the options ticked as a list (more than one may be
 * ticked); a value from the address (`?status=`) is one string.
 */
function values(filter: unknown): string[] {
  if (typeof filter === "string") return [filter]
  return Array.isArray(filter) ? filter.filter((value): value is string => typeof value === "string") : []
}

/** The filters' and sorting's state as the list route's query (src/api/admin/subscriptions/validators.ts). */
function toQuery(filtering: DataTableFilteringState, sorting: DataTableSortingState | null, search: string, pagination: DataTablePaginationState): SubscriptionListQuery {
  const due = filtering.next_charge_at as { $lte?: string; $lt?: string } | undefined
  const dueBefore = due?.$lte ?? due?.$lt
  return {
    limit: pagination.pageSize,
    offset: pagination.pageIndex * pagination.pageSize,
    ...(search ? { q: search } : {}),
    ...(values(filtering.status).length ? { status: values(filtering.status) } : {}),
    ...(values(filtering.customer_id).length ? { customer_id: values(filtering.customer_id) } : {}),
    ...(dueBefore ? { due_before: new Date(dueBefore).toISOString() } : {}),
    ...(sorting ? { order: `${sorting.desc ? "-" : ""}${sorting.id}` } : {}),
  }
}

/**
 * The Subscriptions list: Medusa's DataTable with search (id, e-mail, customer name), filters for status,
 * due date and customer, sorting by next charge or creation, and server-side paging. `?customer_id=` in
 * the address opens it filtered to one customer (a link from the customer page can use it).
 */
export const SubscriptionsTable = () => {
  const navigate = useNavigate()
  const [searchParams] = useSearchParams()
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })
  const [search, setSearch] = useState(searchParams.get("q") ?? "")
  const [filtering, setFiltering] = useState<DataTableFilteringState>(() => {
    const initial: DataTableFilteringState = {}
    const status = searchParams.get("status")
    const customer = searchParams.get("customer_id")
    if (status) initial.status = [status]
    if (customer) initial.customer_id = [customer]
    return initial
  })
  const [sorting, setSorting] = useState<DataTableSortingState | null>(null)

  const query = toQuery(filtering, sorting, search, pagination)
  const { data, isLoading, isError, error } = useSubscriptions(query)
  const customers = useCustomerOptions()

  const filters = useMemo(() => {
    const customerOptions = (customers.data?.customers ?? []).map((customer) => ({
      label: [customer.first_name, customer.last_name].filter(Boolean).join(" ") || customer.email,
      value: customer.id,
    }))
    for (const selected of values(filtering.customer_id)) {
      if (!customerOptions.some((option) => option.value === selected)) {
        customerOptions.push({ label: selected, value: selected })
      }
    }
    return [
      filterHelper.accessor("status", {
        type: "select",
        label: "Status",
        options: STATUSES.map((status) => ({ label: STATUS_LABELS[status], value: status })),
      }),
      filterHelper.accessor("next_charge_at", {
        type: "date",
        label: "Due before",
        format: "date",
        rangeOptionLabel: "Due before…",
        options: [
          { label: "Due today", value: { $lte: inDays(0) } },
          { label: "Due within 7 days", value: { $lte: inDays(7) } },
          { label: "Due within 30 days", value: { $lte: inDays(30) } },
        ],
      }),
      filterHelper.accessor("customer_id", { type: "select", label: "Customer", options: customerOptions }),
    ]
  }, [customers.data, filtering.customer_id])

  const table = useDataTable({
    columns,
    data: data?.subscriptions ?? [],
    getRowId: (row) => row.id,
    rowCount: data?.count ?? 0,
    isLoading,
    filters,
    pagination: { state: pagination, onPaginationChange: setPagination },
    search: { state: search, onSearchChange: setSearch },
    filtering: { state: filtering, onFilteringChange: setFiltering },
    sorting: { state: sorting, onSortingChange: setSorting },
    onRowClick: (_, row) => navigate(`/subscriptions/${row.id}`),
  })

  return (
    <DataTable instance={table}>
      <DataTable.Toolbar className="flex flex-col items-start justify-between gap-2 px-6 py-4 md:flex-row md:items-center">
        <div>
          <Heading>Subscriptions</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            Recurring card charges through Dintero
          </Text>
        </div>
        <div className="flex w-full items-center gap-2 md:w-auto">
          <DataTable.Search placeholder="Search" />
          <DataTable.FilterMenu tooltip="Filter" />
          <DataTable.SortingMenu tooltip="Sort" />
        </div>
      </DataTable.Toolbar>
      {isError ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            {error.message}
          </Text>
        </div>
      ) : null}
      <DataTable.Table
        emptyState={{
          empty: { heading: "No subscriptions", description: "Subscriptions start when a customer checks out a subscription plan." },
          filtered: { heading: "No matching subscriptions", description: "Change the search or remove a filter." },
        }}
      />
      <DataTable.Pagination />
    </DataTable>
  )
}

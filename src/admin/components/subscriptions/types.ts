/** The admin subscription routes' answers, as the pages read them (src/api/admin/subscriptions). */
export type SubscriptionStatus = "trialing" | "active" | "past_due" | "paused" | "canceled" | "expired"
export type Interval = "day" | "week" | "month" | "year"

export type SubscriptionLine = {
  line_id: string
  title: string
  quantity: number
  /** Minor units, VAT included. */
  unit_amount: number
  vat: number
  type: "item" | "shipping"
  variant_id?: string | null
  product_id?: string | null
  shipping_option_id?: string | null
}

export type SubscriptionCharge = {
  id: string
  kind: "renewal" | "proration"
  period_start: string
  period_end: string
  merchant_reference: string
  attempt: number
  status: "pending" | "unknown" | "succeeded" | "failed"
  amount: number
  currency_code: string
  card_id: string
  transaction_id: string | null
  error_code: string | null
  error_message: string | null
  retry_codes: string[] | null
  retry_after: string | null
  next_retry_at: string | null
  order_id: string | null
  created_at: string
}

export type SubscriptionCustomer = {
  id: string
  email: string | null
  first_name: string | null
  last_name: string | null
  company_name: string | null
}

export type Subscription = {
  id: string
  customer_id: string
  customer?: SubscriptionCustomer | null
  card_id: string
  status: SubscriptionStatus
  currency_code: string
  items: SubscriptionLine[]
  interval: Interval
  interval_count: number
  current_period_start: string
  current_period_end: string
  next_charge_at: string | null
  cancel_at_period_end: boolean
  expires_at: string | null
  canceled_at: string | null
  ended_at: string | null
  paused_at: string | null
  trial_end?: string | null
  skipped_periods?: string[] | null
  pending_items?: SubscriptionLine[] | null
  pending_items_from?: string | null
  email: string | null
  source_order_id: string | null
  created_at: string
  charges?: SubscriptionCharge[]
  orders?: Array<{ id: string; display_id: number; created_at: string }>
}

export type SubscriptionList = { subscriptions: Subscription[]; count: number; limit: number; offset: number }

export type SubscriptionOverview = {
  active: number
  past_due: number
  paused: number
  canceled_this_month: number
  monthly_recurring_revenue: Array<{ currency_code: string; amount: number; subscriptions: number }>
  month_start: string
}

/** A saved card as GET /admin/customers/:id/dintero-payment-methods lists it: masked, no tokens. */
export type SavedCard = {
  id: string
  brand: string | null
  masked_pan: string | null
  expiry_date: string | null
  payment_product_type?: string
  source_transaction_id?: string
  created_at?: string
  expired?: boolean
  blocked?: { code: string; at: string; message?: string | null } | null
}

export type PlanChangePreview = {
  currency_code: string
  current_amount: number
  new_amount: number
  interval: Interval
  interval_count: number
  applies_from: string
  proration: { amount: number; vat_amount: number; remaining_ms: number; period_ms: number; at: string } | null
  charge_now: number
  already_paid: boolean
}

export type PlanChangeBody = {
  items: Array<Omit<SubscriptionLine, "line_id" | "type"> & { line_id?: string; type?: "item" | "shipping" }>
  interval?: Interval
  interval_count?: number
  prorate: boolean
}

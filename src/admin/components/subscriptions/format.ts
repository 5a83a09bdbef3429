import type { Interval, SavedCard, Subscription, SubscriptionLine, SubscriptionStatus } from "./types"

/** Decimal places of a currency (NOK 2, JPY 0, KWD 3), as the browser's Intl knows it. */
export function currencyDecimals(currencyCode: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currencyCode.toUpperCase() }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

/** Minor units (what the plugin stores and Dintero takes) shown as money: 29900 NOK → "NOK 299.00". */
export function formatMinor(amount: number, currencyCode: string): string {
  const decimals = currencyDecimals(currencyCode)
  const major = amount / 10 ** decimals
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currencyCode.toUpperCase(), currencyDisplay: "code" }).format(major)
  } catch {
    return `${major.toFixed(decimals)} ${currencyCode.toUpperCase()}`
  }
}

/** Major units typed by a person → minor units, or undefined when it is not an amount. */
export function toMinor(value: string, currencyCode: string): number | undefined {
  const normalized = value.trim().replace(/\s/g, "").replace(",", ".")
  if (!/^\d+(\.\d+)?$/.test(normalized)) {
    return undefined
  }
  const decimals = currencyDecimals(currencyCode)
  const [whole, fraction = ""] = normalized.split(".")
  if (fraction.length > decimals) {
    return undefined
  }
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, "0") || "0")
}

export function toMajorInput(amount: number, currencyCode: string): string {
  const decimals = currencyDecimals(currencyCode)
  return (amount / 10 ** decimals).toFixed(decimals)
}

export function periodAmount(lines: Pick<SubscriptionLine, "unit_amount" | "quantity">[]): number {
  return lines.reduce((sum, line) => sum + line.unit_amount * line.quantity, 0)
}

const UNIT: Record<Interval, [string, string]> = {
  day: ["day", "days"],
  week: ["week", "weeks"],
  month: ["month", "months"],
  year: ["year", "years"],
}

/** "Monthly", "Every 2 weeks". */
export function intervalLabel(interval: Interval, count = 1): string {
  if (count === 1) {
    return { day: "Daily", week: "Weekly", month: "Monthly", year: "Yearly" }[interval]
  }
  return `Every ${count} ${UNIT[interval][1]}`
}

/** The plan as one line: the first item's title, and how many more. */
export function planLabel(subscription: Pick<Subscription, "items">): string {
  const [first, ...rest] = subscription.items ?? []
  if (!first) {
    return "–"
  }
  const title = first.quantity > 1 ? `${first.quantity} × ${first.title}` : first.title
  return rest.length ? `${title} + ${rest.length} more` : title
}

export function customerLabel(subscription: Pick<Subscription, "customer" | "email" | "customer_id">): string {
  const customer = subscription.customer
  const name = [customer?.first_name, customer?.last_name].filter(Boolean).join(" ")
  return name || customer?.email || subscription.email || subscription.customer_id
}

export function formatDate(value: string | null | undefined, withTime = false): string {
  if (!value) {
    return "–"
  }
  const date = new Date(value)
  return withTime
    ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
    : date.toLocaleDateString(undefined, { dateStyle: "medium" })
}

export const STATUS_LABELS: Record<SubscriptionStatus, string> = {
  trialing: "Trial",
  active: "Active",
  past_due: "Past due",
  paused: "Paused",
  canceled: "Canceled",
  expired: "Expired",
}

export const STATUS_COLORS: Record<SubscriptionStatus, "green" | "orange" | "red" | "grey" | "blue"> = {
  trialing: "blue",
  active: "green",
  past_due: "red",
  paused: "orange",
  canceled: "grey",
  expired: "grey",
}

/** "Visa •••• 1111 (12/2030)"; the card id when the card is no longer saved. */
export function cardLabel(card: SavedCard | undefined, cardId: string): string {
  if (!card) {
    return cardId
  }
  const last4 = card.masked_pan?.replace(/[^0-9]/g, "").slice(-4)
  const brand = card.brand ?? card.payment_product_type ?? "Card"
  return `${brand}${last4 ? ` •••• ${last4}` : ""}${card.expiry_date ? ` (${card.expiry_date})` : ""}`
}

import type { NoticeOptions } from "../../modules/subscription/options"
import { periodAmount, type SubscriptionLine } from "../../modules/subscription/lines"

/**
 * The notices a subscriber gets about their subscription, and what each carries. Pure: what is sent, to
 * whom, under which template and idempotency key; sending is steps/send-subscription-notices.ts.
 */
export type NoticeKind = "payment_failed" | "past_due" | "canceled" | "card_expiring" | "renewal_reminder"

/** The public half of a saved card, as a notice may show it. Never a token, sealed or not. */
export type NoticeCard = { brand: string | null; masked_pan: string | null; expiry_date: string | null }

/** What every notice's data starts with. Amounts are integers in the currency's minor unit, VAT included. */
export type NoticeBase = {
  subscription_id: string
  customer_id: string
  first_name: string | null
  last_name: string | null
  amount: number
  currency_code: string
  card: NoticeCard | null
}

export type SubscriptionNotice = {
  kind: NoticeKind
  subscription_id: string
  customer_id: string
  to: string
  channel: string
  template: string
  /** Deterministic per event: Medusa's Notification module sends a key once (see sendSubscriptionNoticesStep). */
  idempotency_key: string
  /** The event or job that caused it, as Medusa's notification `trigger_type`. */
  trigger_type: string
  data: Record<string, unknown>
  /** The notice invites the customer to replace the card: its data gets `card_update_url` when it is sent. */
  with_card_update_url: boolean
}

/** The subscription as the notices read it (a row of the subscription module). */
export type NoticeSubscription = {
  id: string
  customer_id: string
  status: string
  email: string | null
  currency_code: string
  items: SubscriptionLine[]
  interval: "day" | "week" | "month" | "year"
  interval_count: number
  next_charge_at: Date | string | null
  current_period_end: Date | string
  cancel_at_period_end: boolean
  card_id: string
  metadata: Record<string, unknown> | null
}

export type NoticeRecipient = { email: string | null; first_name: string | null; last_name: string | null }

/** `dintero-subscription:<kind>:<what makes the event unique>`: the same event always gets the same key. */
export function noticeIdempotencyKey(kind: NoticeKind, ...parts: string[]): string {
  return ["dintero-subscription", kind, ...parts].join(":")
}

const iso = (value: Date | string | null | undefined): string | null => (value ? new Date(value).toISOString() : null)

export function publicNoticeCard(card: { brand?: string | null; masked_pan?: string | null; expiry_date?: string | null } | null | undefined): NoticeCard | null {
  // Picked field by field: a saved card's record may carry more than a notice may show.
  return card ? { brand: card.brand ?? null, masked_pan: card.masked_pan ?? null, expiry_date: card.expiry_date ?? null } : null
}

export function noticeBase(subscription: NoticeSubscription, recipient: NoticeRecipient, card: NoticeCard | null, amount?: number): NoticeBase {
  return {
    subscription_id: subscription.id,
    customer_id: subscription.customer_id,
    first_name: recipient.first_name,
    last_name: recipient.last_name,
    amount: amount ?? periodAmount(subscription.items),
    currency_code: subscription.currency_code,
    card,
  }
}

/** The subscription's own e-mail (copied from its first order, or given by the admin), else the customer's. */
export function noticeRecipient(subscription: Pick<NoticeSubscription, "email">, customer: NoticeRecipient | null): string | null {
  return subscription.email || customer?.email || null
}

/**
 * Whether a subscription's charges are announced ahead (a reminder `renewalReminderDays` before each). The
 * first charge after a trial always is: card networks' rules on recurring payments (Visa's and Mastercard's
 * free-trial rules) ask the merchant to remind the cardholder before a trial turns into a paid subscription,
 * so neither the intervals option nor the subscription's own flag turns it off.
 */
export function wantsRenewalReminder(
  subscription: Pick<NoticeSubscription, "interval" | "metadata"> & { status?: string },
  options: Pick<NoticeOptions, "remindIntervals">
): boolean {
  if (subscription.status === "trialing") {
    return true
  }
  const own = subscription.metadata?.renewal_reminder
  if (typeof own === "boolean") {
    return own
  }
  return options.remindIntervals.includes(subscription.interval)
}

/** A card is valid through the last day of its expiry month (MM/YYYY or MM/YY, as Dintero reports it). */
export function cardExpiredAt(expiryDate: string | null | undefined, at: Date): boolean {
  const match = /^(\d{1,2})\/(\d{2}|\d{4})$/.exec(expiryDate ?? "")
  if (!match) {
    return false
  }
  const month = Number(match[1])
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2])
  return at.getTime() >= Date.UTC(year, month, 1)
}

type Build = { subscription: NoticeSubscription; to: string; base: NoticeBase; options: NoticeOptions }

function notice(kind: NoticeKind, build: Build, key: string, trigger: string, data: Record<string, unknown>, withLink: boolean): SubscriptionNotice {
  return {
    kind,
    subscription_id: build.subscription.id,
    customer_id: build.subscription.customer_id,
    to: build.to,
    channel: build.options.channel,
    template: build.options.templates[kind],
    idempotency_key: key,
    trigger_type: trigger,
    data: { ...build.base, ...data, ...(withLink ? { card_update_url: null } : {}) },
    with_card_update_url: withLink,
  }
}

/** A renewal attempt was declined and another is scheduled: once per declined attempt (its charge record). */
export function paymentFailedNotice(
  build: Build,
  charge: { id: string; attempt: number; amount: number; period_start: Date | string; period_end: Date | string; error_code: string | null },
  nextAttemptAt: string
): SubscriptionNotice {
  return notice("payment_failed", { ...build, base: { ...build.base, amount: charge.amount } }, noticeIdempotencyKey("payment_failed", charge.id), "subscription.payment_failed", {
    attempt: charge.attempt,
    next_attempt_at: iso(nextAttemptAt),
    period_start: iso(charge.period_start),
    period_end: iso(charge.period_end),
    decline_code: charge.error_code,
  }, true)
}

/** Automatic retries stopped (Dintero's DO_NOT_RETRY, or dunning exhausted without cancelling): once per stop. */
export function pastDueNotice(build: Build, reason: string, chargeId: string): SubscriptionNotice {
  return notice("past_due", build, noticeIdempotencyKey("past_due", chargeId), "subscription.past_due", { reason }, true)
}

/** Dunning gave up and canceled the subscription: once per subscription (it is canceled once). */
export function canceledNotice(build: Build, canceledAt: Date | string | null): SubscriptionNotice {
  return notice("canceled", build, noticeIdempotencyKey("canceled", build.subscription.id), "subscription.canceled", {
    reason: "dunning_exhausted",
    canceled_at: iso(canceledAt),
  }, false)
}

/** The card will have expired at the next renewal: once per subscription and card. */
export function cardExpiringNotice(build: Build): SubscriptionNotice {
  return notice("card_expiring", build, noticeIdempotencyKey("card_expiring", build.subscription.id, build.subscription.card_id), "dintero-subscription-notices", {
    next_charge_at: iso(build.subscription.next_charge_at),
  }, true)
}

/** The next charge is near: once per subscription and charge date. */
export function renewalReminderNotice(build: Build): SubscriptionNotice {
  const chargeAt = iso(build.subscription.next_charge_at)!
  return notice("renewal_reminder", build, noticeIdempotencyKey("renewal_reminder", build.subscription.id, chargeAt), "dintero-subscription-notices", {
    next_charge_at: chargeAt,
    interval: build.subscription.interval,
    interval_count: build.subscription.interval_count,
    items: build.subscription.items.map((line) => ({ title: line.title, quantity: line.quantity, unit_amount: line.unit_amount })),
  }, false)
}

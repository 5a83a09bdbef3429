/**
 * The customer's subscriptions: what each bills and when, and the customer's own actions (Store API routes under
 * /store/customers/me/subscriptions/:id/…): pause, resume, skip the next period (or take the skip back),
 * cancel, and change the card, to a saved one or a new one added for it.
 */
import { asCustomer, change } from "./account"
import { startCardSetup } from "./cards"
import { cardLabel, day, esc, money, ok, page, postButton, type Rq } from "./web"

const INTERVAL: Record<string, string> = { day: "day", week: "week", month: "month", year: "year" }

function every(s: any): string {
  const unit = INTERVAL[s.interval] ?? s.interval
  return Number(s.interval_count) > 1 ? `every ${s.interval_count} ${unit}s` : `every ${unit}`
}

function itemsOf(s: any): any[] {
  return Array.isArray(s.items) ? s.items : []
}

function perPeriod(s: any): string {
  return money(itemsOf(s).reduce((sum, line) => sum + Number(line.unit_amount ?? 0) * Number(line.quantity ?? 1), 0), s.currency_code)
}

function what(s: any): string {
  return itemsOf(s)
    .filter((line) => line.type !== "shipping")
    .map((line) => `${line.quantity ?? 1} × ${line.title}`)
    .join(", ")
}

/** The period starting at the current period's end is skipped (skipped_periods holds ISO period starts). */
function nextSkipped(s: any): boolean {
  const next = Date.parse(s.current_period_end)
  return (Array.isArray(s.skipped_periods) ? s.skipped_periods : []).some((start: string) => Date.parse(start) === next)
}

const STATUS: Record<string, string> = {
  trialing: "Trial",
  active: "Active",
  past_due: "Payment failed",
  paused: "Paused",
  canceled: "Canceled",
  expired: "Ended",
}

export const subscriptionsPage = asCustomer(async (rq, store) => {
  const { subscriptions } = await ok(store.get("/store/customers/me/subscriptions"))
  const rows = (subscriptions as any[])
    .map(
      (s) =>
        `<tr><td><a href="/account/subscriptions/${encodeURIComponent(s.id)}">${esc(what(s) || s.id)}</a></td>` +
        `<td>${esc(STATUS[s.status] ?? s.status)}</td><td>${esc(perPeriod(s))} ${esc(every(s))}</td><td>${esc(day(s.next_charge_at))}</td></tr>`
    )
    .join("")
  const body = subscriptions.length
    ? `<table><thead><tr><th>Subscription</th><th>Status</th><th>Price</th><th>Next charge</th></tr></thead><tbody>${rows}</tbody></table>`
    : "<p>No subscriptions yet.</p>"
  return page(rq, 200, "Subscriptions", body, { nav: true })
})

export const subscriptionPage = asCustomer(async (rq, store) => {
  const id = rq.params.id
  const [{ subscription: s }, { payment_methods: cards }] = await Promise.all([
    ok(store.get(`/store/customers/me/subscriptions/${encodeURIComponent(id)}`)),
    ok(store.get("/store/dintero/payment-methods")),
  ])
  const card = (cards as any[]).find((c) => c.id === s.card_id)
  const lines = itemsOf(s)
    .map((line) => `<tr><td>${esc(line.quantity ?? 1)} × ${esc(line.title)}</td><td>${esc(money(line.unit_amount, s.currency_code))}</td></tr>`)
    .join("")
  const facts: Array<[string, string]> = [
    ["Status", `${STATUS[s.status] ?? s.status}${s.cancel_at_period_end ? " (ends at the end of this period)" : ""}`],
    ["Price", `${perPeriod(s)} ${every(s)}`],
    ["Current period", `${day(s.current_period_start)} – ${day(s.current_period_end)}`],
    ["Next charge", s.next_charge_at ? `${day(s.next_charge_at)}${nextSkipped(s) ? " (skipped: nothing is charged then)" : ""}` : "none scheduled"],
    ...(s.trial_end ? [["Trial ends", day(s.trial_end)] as [string, string]] : []),
    ["Card", card ? `${cardLabel(card)}, expires ${card.expiry_date}` : "none"],
  ]
  const base = `/account/subscriptions/${encodeURIComponent(id)}`
  const live = ["trialing", "active", "past_due", "paused"].includes(s.status)
  const actions = [
    s.status === "active" && !s.cancel_at_period_end ? postButton(`${base}/pause`, "Pause") : "",
    s.status === "paused" || s.cancel_at_period_end ? postButton(`${base}/resume`, "Resume") : "",
    s.status === "active" && !s.cancel_at_period_end ? postButton(`${base}/${nextSkipped(s) ? "unskip" : "skip"}`, nextSkipped(s) ? "Unskip the next period" : "Skip the next period") : "",
    // Only a subscription that will renew can end at its period's end; others are canceled at once (lifecycle.ts).
    (s.status === "active" || s.status === "trialing") && !s.cancel_at_period_end ? postButton(`${base}/cancel`, "Cancel at the end of the period") : "",
    live ? postButton(`${base}/cancel-now`, "Cancel now") : "",
  ].join("")
  const otherCards = (cards as any[]).filter((c) => c.id !== s.card_id && !c.expired)
  const changeCard = live
    ? `<h2>Change card</h2>` +
      (otherCards.length
        ? `<form method="post" action="${esc(base)}/card"><label>Saved card <select name="card_id">` +
          otherCards.map((c) => `<option value="${esc(c.id)}">${esc(cardLabel(c))} (${esc(c.expiry_date)})</option>`).join("") +
          `</select></label><button type="submit">Use this card</button></form>`
        : "") +
      `<form method="post" action="${esc(base)}/new-card"><button type="submit" name="mode" value="embedded">Add a new card for this subscription</button>` +
      `<button type="submit" name="mode" value="hosted">Add it on Dintero's page</button></form>`
    : ""
  const orders = (s.orders ?? []).map((o: any) => `<li>Order #${esc(o.display_id)} (${esc(day(o.created_at))})</li>`).join("")
  return page(
    rq,
    200,
    what(s) || `Subscription ${s.id}`,
    `<p>Subscription <code>${esc(s.id)}</code></p>` +
      (s.status === "past_due"
        ? `<p class="error">The last payment failed. Add a new card: the payment is tried again with it at once (another saved card you choose is charged at the next renewal run).</p>`
        : "") +
      `<table><tbody>${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</tbody></table>` +
      `<h2>Each period</h2><table><tbody>${lines}</tbody></table>` +
      (s.pending_items ? `<p>A change of items applies from ${esc(day(s.pending_items_from))}.</p>` : "") +
      (actions ? `<h2>Manage</h2><p>${actions}</p>` : "") +
      changeCard +
      (orders ? `<h2>Orders</h2><ul>${orders}</ul>` : ""),
    { nav: true }
  )
})

/** Each action: the Store API route it posts to, its body, and what the customer is told afterwards. */
const ACTIONS: Record<string, { route: string; body?: (rq: Rq) => Record<string, unknown>; done: string }> = {
  pause: { route: "pause", done: "The subscription is paused: nothing is charged until you resume it." },
  resume: { route: "resume", done: "The subscription is active again." },
  skip: { route: "skip", done: "The next period is skipped: it is not charged." },
  unskip: { route: "unskip", done: "The next period is charged as usual." },
  cancel: { route: "cancel", body: () => ({ at_period_end: true }), done: "The subscription ends at the end of this period." },
  "cancel-now": { route: "cancel", body: () => ({ at_period_end: false }), done: "The subscription is canceled." },
  card: { route: "card", body: (rq) => ({ card_id: rq.form.get("card_id") ?? "" }), done: "The subscription now uses the card you chose." },
}

export const subscriptionAction = asCustomer(async (rq, store) => {
  const id = rq.params.id
  const back = `/account/subscriptions/${encodeURIComponent(id)}`
  if (rq.params.action === "new-card") return startCardSetup(rq, store, { forSubscription: id })
  const action = ACTIONS[rq.params.action]
  if (!action) return page(rq, 404, "Not found", "", { nav: true })
  return change(rq, back, async () => {
    await ok(store.post(`/store/customers/me/subscriptions/${encodeURIComponent(id)}/${action.route}`, action.body?.(rq) ?? {}))
    return action.done
  })
})

/**
 * Saved cards: the list (brand, masked number, expiry), deleting one, and adding one without a purchase:
 * Dintero's zero-amount token session (POST /store/dintero/payment-methods/sessions), shown embedded with the
 * Web SDK or as Dintero's hosted page. Dintero sends the payer back to /account/cards/return, which completes
 * the card setup (the plugin reads the card from Dintero, never from this page).
 */
import type { StoreHttp } from "../../lib/http"
import { asCustomer, change } from "./account"
import { cardLabel, embeddedDintero, esc, ok, page, postButton, redirect, StoreApiError, type Rq } from "./web"

export const CARDS_RETURN_PATH = "/account/cards/return"

/**
 * Opens a card setup. `forSubscription`: the new card replaces that subscription's card when saved (a past_due
 * one is charged again at once); `all`: every live subscription's. Hosted: off to Dintero's page; else our page
 * embeds the session.
 */
export async function startCardSetup(rq: Rq, store: StoreHttp, opts: { forSubscription?: string; all?: boolean }) {
  const back = opts.forSubscription ? `/account/subscriptions/${encodeURIComponent(opts.forSubscription)}` : "/account/cards"
  const returnUrl = new URL(CARDS_RETURN_PATH, rq.config.url)
  if (opts.forSubscription) returnUrl.searchParams.set("for", opts.forSubscription)
  const body = {
    return_url: returnUrl.toString(),
    ...(opts.forSubscription ? { use_for_subscriptions: [opts.forSubscription] } : opts.all ? { use_for_subscriptions: "all" } : {}),
  }
  try {
    const { card_setup } = await ok(store.post("/store/dintero/payment-methods/sessions", body))
    if (rq.form.get("mode") === "hosted") {
      rq.res.writeHead(303, { location: card_setup.url, "set-cookie": rq.setCookies }).end()
      return
    }
    return redirect(rq, `/account/cards/add?sid=${encodeURIComponent(card_setup.session_id)}&back=${encodeURIComponent(back)}`)
  } catch (error) {
    if (error instanceof StoreApiError && error.status !== 401) return redirect(rq, back, { error: error.message })
    throw error
  }
}

export const cardsPage = asCustomer(async (rq, store) => {
  const { payment_methods: cards } = await ok(store.get("/store/dintero/payment-methods"))
  const rows = (cards as any[])
    .map(
      (card) =>
        `<tr><td>${esc(cardLabel(card))}</td><td>${esc(card.expiry_date ?? "")}${card.expired ? " (expired)" : ""}</td>` +
        `<td>${postButton(`/account/cards/${encodeURIComponent(card.id)}/delete`, `Delete ${cardLabel(card)}`)}</td></tr>`
    )
    .join("")
  const list = cards.length
    ? `<table><thead><tr><th>Card</th><th>Expires</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : "<p>No saved cards yet.</p>"
  return page(
    rq,
    200,
    "Saved cards",
    list +
      `<h2>Add a card</h2><p>Saved without a purchase: Dintero verifies the card; nothing is charged.</p>` +
      `<form method="post" action="/account/cards/new"><label><input type="checkbox" name="all" value="yes"> Use it for all my subscriptions</label>` +
      `<button type="submit" name="mode" value="embedded">Add a card</button>` +
      `<button type="submit" name="mode" value="hosted">Add a card on Dintero's page</button></form>`,
    { nav: true }
  )
})

export const newCard = asCustomer((rq, store) => startCardSetup(rq, store, { all: rq.form.get("all") === "yes" }))

/** Dintero's page for the session, inside ours (the SDK's iframe). */
export const addCardPage = asCustomer(async (rq) => {
  const sid = rq.query.get("sid") ?? ""
  const back = rq.query.get("back") ?? "/account/cards"
  const backLink = back.startsWith("/account/") ? back : "/account/cards"
  return page(rq, 200, "Add a card", `${embeddedDintero(rq.config, sid)}<p><a href="${esc(backLink)}">Back</a></p>`, { nav: true })
})

export const deleteCard = asCustomer((rq, store) =>
  change(rq, "/account/cards", async () => {
    await ok(store.delete(`/store/dintero/payment-methods/${encodeURIComponent(rq.params.id)}`))
    return "The card is deleted."
  })
)

/**
 * Back from Dintero (`merchant_reference` is the card setup, or `error=cancelled|…`). Completing it here is
 * safe to repeat: the plugin completes a setup once, from Dintero's word, and then answers what it did.
 */
export const cardSetupReturned = asCustomer(async (rq, store) => {
  const forSubscription = rq.query.get("for")
  const back = forSubscription ? `/account/subscriptions/${encodeURIComponent(forSubscription)}` : "/account/cards"
  const error = rq.query.get("error")
  const setupId = rq.query.get("merchant_reference")
  if (error || !setupId) return redirect(rq, back, { error: `No card was saved (Dintero: ${error ?? "no card setup named"}).` })
  let setup: any
  try {
    setup = (await ok(store.post(`/store/dintero/payment-methods/sessions/${encodeURIComponent(setupId)}/complete`, {}))).card_setup
  } catch (failure) {
    if (failure instanceof StoreApiError && failure.status !== 401) return redirect(rq, back, { error: failure.message })
    throw failure
  }
  if (setup.status === "open") {
    return page(rq, 200, "Waiting for Dintero", `<p>Dintero has not confirmed the card yet.</p><p><a href="">Check again</a></p>`, { nav: true })
  }
  if (setup.status !== "completed") return redirect(rq, back, { error: "The card was declined: nothing was saved." })
  return redirect(rq, back, { notice: [`${cardLabel(setup.card)} is saved.`, ...setup.subscriptions.map(describeAttached)].join(" ") })
})

export function describeAttached(s: { id: string; attached: boolean; retry: boolean; retry_outcome?: string; reason?: string }): string {
  if (!s.attached) return `It could not be used for subscription ${s.id}: ${s.reason ?? "refused"}.`
  const retried = s.retry ? ` The payment that failed was tried again with it${s.retry_outcome ? ` (${s.retry_outcome.replace(/_/g, " ")})` : ""}.` : ""
  return `It now pays subscription ${s.id}.${retried}`
}

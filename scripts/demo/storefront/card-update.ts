/**
 * The card-update link page (`subscriptions.cardUpdateUrl`, in the payment-failed e-mail): no login, the link's
 * token is the credential. The page moves the token from its URL into an httpOnly cookie for this path (so it
 * leaves the address bar and history, and is never put in a URL sent to Dintero), shows the subscription, opens
 * Dintero's zero-amount session to add a card, and confirms once Dintero sends the person back.
 */
import { cardLabel, clearCookie, cookie, day, embeddedDintero, esc, ok, page, redirect, StoreApiError, type Rq } from "./web"

export const CARD_UPDATE_PATH = "/account/card-update"
const TOKEN = "sf_card_update"
const LINK = "/store/dintero/card-update-link"

/** No referrer from these pages: the first one's URL holds the token. */
const NO_REFERRER = { "referrer-policy": "no-referrer" }

function refused(rq: Rq, error: unknown) {
  if (!(error instanceof StoreApiError)) throw error
  return page(rq, error.status >= 500 ? 502 : error.status, "This link cannot be used", `<p>${esc(error.message)}</p>`, { headers: NO_REFERRER })
}

export async function cardUpdatePage(rq: Rq) {
  const fromUrl = rq.query.get("token")
  if (fromUrl) {
    rq.setCookies.push(cookie(TOKEN, fromUrl, { path: CARD_UPDATE_PATH, maxAgeSeconds: 3 * 86_400 }))
    rq.res.writeHead(303, { location: CARD_UPDATE_PATH, "set-cookie": rq.setCookies, ...NO_REFERRER }).end()
    return
  }
  const token = rq.cookies[TOKEN]
  if (!token) return page(rq, 400, "This link cannot be used", "<p>Open the link from your e-mail again.</p>")
  let link: any
  try {
    link = (await ok(rq.config.store.post(LINK, { token }))).card_update_link
  } catch (error) {
    return refused(rq, error)
  }
  const s = link.subscription
  const items = (s.items as any[]).map((line) => `<li>${esc(line.quantity)} × ${esc(line.title)}</li>`).join("")
  const current = s.card ? `${s.card.brand ?? "Card"} ending in ${s.card.last4}${s.card.expiry_date ? `, expires ${s.card.expiry_date}` : ""}` : "none"
  const status = s.status === "past_due" ? "The last payment failed: it is charged again as soon as you add a card." : `Status: ${s.status}.`
  return page(
    rq,
    200,
    "Update the card of your subscription",
    `<ul>${items}</ul><p>${esc(status)}</p>` +
      `<p>Billed every ${s.interval_count > 1 ? `${esc(s.interval_count)} ${esc(s.interval)}s` : esc(s.interval)}; next charge ${esc(day(s.next_charge_at))}.</p>` +
      `<p>Current card: ${esc(current)}</p>` +
      `<form method="post" action="${CARD_UPDATE_PATH}/start"><button type="submit">Add a new card</button></form>` +
      `<p style="color:#777">This link works until ${esc(new Date(link.expires_at).toUTCString())}, once.</p>`,
    { headers: NO_REFERRER }
  )
}

export async function startCardUpdate(rq: Rq) {
  const token = rq.cookies[TOKEN]
  if (!token) return page(rq, 400, "This link cannot be used", "<p>Open the link from your e-mail again.</p>")
  try {
    const body = { token, return_url: new URL(`${CARD_UPDATE_PATH}/return`, rq.config.url).toString() }
    const { card_setup } = await ok(rq.config.store.post(`${LINK}/sessions`, body))
    return redirect(rq, `${CARD_UPDATE_PATH}/add?sid=${encodeURIComponent(card_setup.session_id)}`)
  } catch (error) {
    return refused(rq, error)
  }
}

export async function addCardPage(rq: Rq) {
  return page(rq, 200, "Add a new card", `${embeddedDintero(rq.config, rq.query.get("sid") ?? "")}<p><a href="${CARD_UPDATE_PATH}">Back</a></p>`)
}

/** Back from Dintero: complete the setup with the link's token (once; repeating answers what it did). */
export async function cardUpdateReturned(rq: Rq) {
  const token = rq.cookies[TOKEN]
  const error = rq.query.get("error")
  const setupId = rq.query.get("merchant_reference")
  if (!token) return page(rq, 400, "This link cannot be used", "<p>Open the link from your e-mail again.</p>")
  if (error || !setupId) return redirect(rq, CARD_UPDATE_PATH, { error: `No card was saved (Dintero: ${error ?? "no card setup named"}).` })
  let setup: any
  try {
    setup = (await ok(rq.config.store.post(`${LINK}/sessions/${encodeURIComponent(setupId)}/complete`, { token }))).card_setup
  } catch (failure) {
    return refused(rq, failure)
  }
  if (setup.status === "open") return page(rq, 200, "Waiting for Dintero", `<p>Dintero has not confirmed the card yet.</p><p><a href="">Check again</a></p>`)
  if (setup.status !== "completed") return redirect(rq, CARD_UPDATE_PATH, { error: "The card was declined: nothing was saved." })
  const [attached] = setup.subscriptions as Array<{ attached: boolean; retry: boolean; reason?: string }>
  if (!attached?.attached) {
    return page(rq, 409, "The card was saved, but not used", `<p>${esc(attached?.reason ?? "The link was already used.")}</p>`)
  }
  rq.setCookies.push(clearCookie(TOKEN, CARD_UPDATE_PATH))
  return page(
    rq,
    200,
    "Thank you: your card is updated",
    `<p>${esc(cardLabel(setup.card))} now pays your subscription.</p>` +
      (attached.retry ? "<p>The payment that failed was charged again with it.</p>" : "") +
      "<p>Nothing was charged to save it.</p>"
  )
}

/**
 * The server-side context the plugin passes when it links a new Medusa payment session to a cart's existing
 * express Dintero session (workflows/dintero-express). Medusa's store route creating payment sessions passes
 * no context at all (it forwards only `provider_id` and `data`), so a storefront cannot name a Dintero session.
 *
 * `update`: `unlocked` PUTs the order server-to-server (`update_without_lock`), `locked` PUTs it on a session the
 * storefront locked with the Web SDK (embedded express sync), `none` sends nothing (the caller answers Dintero's
 * callback with the order itself, or the session is paid).
 */
export type ExpressLink = { session_id: string; checkout_url?: string; update: "unlocked" | "locked" | "none" }

export const EXPRESS_LINK_CONTEXT_KEY = "dintero_express"

export function expressLinkOf(context: unknown): ExpressLink | undefined {
  const link = (context as Record<string, unknown> | undefined)?.[EXPRESS_LINK_CONTEXT_KEY] as Partial<ExpressLink> | undefined
  if (!link || typeof link.session_id !== "string" || !link.session_id) {
    return undefined
  }
  const update = link.update === "locked" || link.update === "none" ? link.update : "unlocked"
  return { session_id: link.session_id, ...(typeof link.checkout_url === "string" ? { checkout_url: link.checkout_url } : {}), update }
}

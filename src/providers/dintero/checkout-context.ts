/** Small readings of what Medusa and the storefront hand the provider when a checkout starts. */

/** Medusa types the context's account holder as `{ data }`, but passes the whole row, id included. */
export function accountHolderIdOf(context: unknown): string | undefined {
  const id = (context as { account_holder?: { id?: unknown } } | undefined)?.account_holder?.id
  return typeof id === "string" && id ? id : undefined
}

/** Dintero wants E.123 (+4799999999); anything else is left out rather than failing the checkout. */
export function e123(phone: string | null | undefined): string | undefined {
  const compact = phone?.replace(/[\s()-]/g, "")
  return compact && /^\+\d{6,15}$/.test(compact) ? compact : undefined
}

/** A storefront may pick its own return page, but only on the configured storefront's origin (no open redirect). */
export function returnUrlFor(
  data: Record<string, unknown> | undefined,
  configured: string,
  logger?: { warn(message: string): void }
): string {
  const requested = typeof data?.return_url === "string" ? data.return_url : undefined
  if (!requested) {
    return configured
  }
  try {
    if (new URL(requested).origin === new URL(configured).origin) {
      return requested
    }
  } catch {
    // not a URL: fall through to the configured page
  }
  logger?.warn("Dintero: ignoring a return_url outside the configured storefront origin")
  return configured
}

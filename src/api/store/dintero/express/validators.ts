/** `{ session_id? }`: the Dintero session the storefront embeds (or the return URL names); anything else is ignored. */
export function sessionIdOf(body: unknown): string | undefined {
  const value = (body as { session_id?: unknown } | undefined)?.session_id
  return typeof value === "string" && value.length > 0 && value.length < 200 ? value : undefined
}

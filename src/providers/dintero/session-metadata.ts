/**
 * The provider's keys in a Dintero session's `metadata`. Dintero reserves unprefixed namespaces (`session`,
 * `dintero`, `payex`, ...) and recommends that integrations prefix their keys with `ext_` (payments spec,
 * `Metadata`), so the provider writes `ext_medusa_payment_session_id`.
 */
export const MEDUSA_SESSION_METADATA_KEY = "ext_medusa_payment_session_id"

/**
 * The key written before the prefix was adopted. Checkout sessions created by an earlier version of the
 * plugin still carry it (until they expire, 24 h or the configured TTL), and deleting their Medusa payment
 * session must still cancel them, so it is read as a fallback. Nothing writes it any more.
 */
const LEGACY_MEDUSA_SESSION_METADATA_KEY = "medusa_payment_session_id"

export function medusaSessionMetadata(medusaSessionId: string): Record<string, string> {
  return { [MEDUSA_SESSION_METADATA_KEY]: medusaSessionId }
}

/** The Medusa payment session a Dintero session was created for, whichever key it was written under. */
export function medusaSessionOf(metadata: Record<string, unknown> | null | undefined): string | undefined {
  const value = metadata?.[MEDUSA_SESSION_METADATA_KEY] ?? metadata?.[LEGACY_MEDUSA_SESSION_METADATA_KEY]
  return typeof value === "string" ? value : undefined
}

/**
 * Marks a Dintero session as an express checkout for a Medusa cart (docs/express.md). Dintero copies the
 * session's metadata onto its transaction, so a callback tells an express payment apart by it: the Medusa
 * payment session it is paid for is then the cart's live one, not the one in merchant_reference.
 */
export const EXPRESS_METADATA_KEY = "ext_medusa_checkout"
export const EXPRESS_METADATA_VALUE = "express"

export function isExpressMetadata(metadata: Record<string, unknown> | null | undefined): boolean {
  return metadata?.[EXPRESS_METADATA_KEY] === EXPRESS_METADATA_VALUE
}

import { MedusaError } from "@medusajs/framework/utils"

/**
 * What a storefront may put in a Dintero payment session's `data` (README "Storefront integration" and
 * "Saved cards"), with the type each must have. Everything else is the provider's: Medusa stores the
 * storefront's `data` and merges the provider's over it key by key, nested objects included (MikroORM
 * `mergeObjectProperties`), so a storefront's `dintero.transaction_id` or `dintero.save_card_to` would
 * survive next to ours and be trusted later. Refusing them at the door is the only safe reading.
 */
const STOREFRONT_KEYS: Record<string, (value: unknown) => boolean> = {
  save_card: (value) => typeof value === "boolean",
  payment_method_id: (value) => typeof value === "string",
  return_url: (value) => typeof value === "string",
  // Dintero Checkout Express for this session (docs/express.md); the provider option `express` is the default.
  express: (value) => typeof value === "boolean",
}

/** Medusa adds the payment session's own id (payment module createPaymentSession) after the storefront's keys. */
const MEDUSA_KEYS = new Set(["session_id"])

/** Refuses storefront `data` that names a key the storefront does not own, or a storefront key of the wrong type. */
export function assertStorefrontData(data: unknown): void {
  if (data === undefined || data === null) {
    return
  }
  if (typeof data !== "object" || Array.isArray(data)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Dintero payment session data must be an object.")
  }
  if ("merchant_initiated" in data) {
    // A purchase with a saved card that would skip the payer's confirmation.
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Merchant-initiated charges cannot be requested from a storefront (data.merchant_initiated)."
    )
  }
  const entries = Object.entries(data).filter(([key]) => !MEDUSA_KEYS.has(key))
  // Every offending key is named at once, so a storefront developer fixes them in one go.
  const foreign = entries.filter(([key]) => !STOREFRONT_KEYS[key]).map(([key]) => `data.${key}`)
  if (foreign.length) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `${foreign.join(", ")} cannot be set by a storefront: the Dintero provider keeps its own data. ` +
        `A storefront may send ${Object.keys(STOREFRONT_KEYS).join(", ")}.`
    )
  }
  const mistyped = entries.filter(([key, value]) => !STOREFRONT_KEYS[key](value)).map(([key]) => `data.${key}`)
  if (mistyped.length) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${mistyped.join(", ")} has the wrong type for a Dintero payment session.`)
  }
}

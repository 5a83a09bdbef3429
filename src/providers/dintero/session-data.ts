import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"

/**
 * What the provider keeps in Medusa's payment-session / payment `data`, under one `dintero` key. Medusa
 * merges provider data over storefront data, so this key is always ours. It is readable through the store
 * cart API: nothing secret goes in here (no tokens, no credentials), only ids the storefront needs.
 */
export const dinteroDataSchema = z.object({
  /** Dintero checkout session id: the `sid` for @dintero/checkout-web-sdk. */
  session_id: z.string().min(1),
  /** Hosted checkout URL, for a plain redirect (absent for merchant-initiated charges). */
  checkout_url: z.string().min(1).optional(),
  /** Medusa payment session id; also the Dintero merchant_reference, which ties callbacks back to it. */
  medusa_session_id: z.string().min(1),
  amount: z.number().int(),
  currency: z.string().length(3),
  transaction_id: z.string().optional(),
  transaction_status: z.string().optional(),
  /** Dintero's `payment_product_type` of the transaction (`vipps`, `swish.swish`, `collector.invoice`, …). */
  payment_product_type: z.string().optional(),
  /** The payment method as a merchant names it ("Vipps", "Swish", "Walley invoice"), for the admin. */
  payment_method: z.string().optional(),
  /** Save the card on this account holder once the payment is authorized. */
  save_card_to: z.string().optional(),
  /**
   * Nothing to pay (a free trial): `session_id` is Dintero's zero-amount token session, whose only transaction
   * is the verification of the card saved for the subscription (zero-amount-checkout.ts). Nothing is reserved,
   * so there is never anything to capture, refund or void.
   */
  card_verification: z.boolean().optional(),
  /**
   * Dintero Checkout Express (docs/express.md): address, shipping option and discount codes are given inside
   * Dintero's checkout and the Medusa cart follows. The Dintero session outlives Medusa's payment sessions:
   * when the cart's total changes Medusa deletes them, and the plugin links a new one to the same Dintero session.
   */
  express: z.boolean().optional(),
  /** The cart an express session is for (also the Dintero session's merchant_reference_2). */
  cart_id: z.string().optional(),
  /** A saved card paid for this session (one-click). */
  saved_card_id: z.string().optional(),
  /** Charged by the merchant with a stored card (`/v1/sessions/pay`), without the customer. */
  merchant_initiated: z.boolean().optional(),
  /**
   * An admin asked that the capture of this amount (minor units) be the last one, releasing the rest
   * (POST /admin/dintero/payments/:id/capture with final: true). Set just before Medusa's capture and
   * dropped by the capture that uses it (set to null: Medusa merges a payment's data on update, so a key
   * left out is kept).
   */
  final_capture_requested: z.object({ amount: z.number().int().positive() }).nullish(),
  /** Why Dintero declined a merchant-initiated charge, with its retry policy. */
  decline: z
    .object({
      code: z.string().optional(),
      message: z.string().optional(),
      types: z.array(z.string()),
      retry_codes: z.array(z.string()),
      retry_after: z.string().optional(),
    })
    .optional(),
})
export type DinteroData = z.infer<typeof dinteroDataSchema>

export function readDinteroData(data: Record<string, unknown> | undefined): DinteroData {
  const parsed = dinteroDataSchema.safeParse(data?.dintero)
  if (!parsed.success) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "This payment has no Dintero session: it was not created by the Dintero provider or its data is incomplete."
    )
  }
  return parsed.data
}

export function withDinteroData(
  data: Record<string, unknown> | undefined,
  dintero: DinteroData
): Record<string, unknown> {
  return { ...(data ?? {}), dintero }
}

import type { CardPaymentProductType, PaymentTokenSessionRequest, Transaction } from "../../lib/dintero"
import { callbackUrl, type DinteroOptions } from "./options"

/**
 * Saving a card without a purchase: Dintero's zero-amount token session (POST /v1/sessions/payment-token,
 * docs /docs/checkout/tokenization-create-token). The session's merchant_reference is the plugin's card
 * setup record (`dcset_…`, modules/subscription card_setup), which is how a callback or a return is matched
 * to the customer who started it; nothing else in the callback is trusted.
 */
export const CARD_SETUP_PREFIX = "dcset_"

export const isCardSetupReference = (reference: string | null | undefined): reference is string =>
  typeof reference === "string" && reference.startsWith(CARD_SETUP_PREFIX)

/** The card products Dintero tokenizes in a token session (payments spec TokenProvider); wallets, Swish and invoices have none. */
export const TOKENIZABLE_PRODUCTS: CardPaymentProductType[] = ["dintero_psp.creditcard", "payex.creditcard", "bambora.creditcard"]

/**
 * Token types per provider, as at checkout (tokenization.ts): Swedbank Pay (payex) issues a payment and a
 * recurrence token, Dintero PSP and Bambora a payment token used for everything.
 */
export function tokenTypesFor(type: CardPaymentProductType): Array<"payment_token" | "recurrence_token"> {
  return type === "payex.creditcard" ? ["payment_token", "recurrence_token"] : ["payment_token"]
}

export function paymentTokenSessionRequest(
  options: DinteroOptions,
  input: {
    cardSetupId: string
    currency: string
    returnUrl: string
    productType: CardPaymentProductType
    customer: { id: string; email?: string | null }
    expiresAt?: Date
  }
): PaymentTokenSessionRequest {
  return {
    session: {
      order: { currency: input.currency.toUpperCase(), merchant_reference: input.cardSetupId },
      url: { return_url: input.returnUrl, callback_url: callbackUrl(options).toString() },
      profile_id: options.profileId,
      customer: { customer_id: input.customer.id, ...(input.customer.email ? { email: input.customer.email } : {}) },
      ...(input.expiresAt ? { expires_at: input.expiresAt.toISOString() } : {}),
    },
    token_provider: { payment_product_type: input.productType, token_types: tokenTypesFor(input.productType) },
  }
}

/** A transaction Dintero created for the card setup's token session: the card was verified and tokenized. */
export function cardSetupOutcome(
  transaction: Pick<Transaction, "status" | "merchant_reference" | "session_id">,
  setup: { id: string; dintero_session_id: string | null }
): "saved" | "declined" | "foreign" {
  if (transaction.merchant_reference !== setup.id || (transaction.session_id && transaction.session_id !== setup.dintero_session_id)) {
    return "foreign"
  }
  return ["FAILED", "DECLINED", "UNKNOWN", "INITIATED"].includes(transaction.status) ? "declined" : "saved"
}

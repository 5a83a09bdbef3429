import type { CardPaymentProductType, PaymentTokenSessionRequest, Transaction } from "../../lib/dintero"
import { TOKENIZABLE_PRODUCTS, tokenTypesFor } from "./card-setup"
import { callbackUrl, type DinteroOptions } from "./options"

/**
 * A checkout with nothing to pay now (a free trial with free shipping): the card the subscription will be
 * charged with later is saved at the start (issue 10, Plans), through Dintero's zero-amount token session
 * (POST /v1/sessions/payment-token, docs /docs/checkout/tokenization-create-token) instead of a checkout
 * session, which needs an amount. The storefront opens it like any Dintero session (`sid`/`checkout_url`);
 * Dintero validates the card and creates an amount-0 transaction carrying the tokens, which the provider's
 * authorizePayment reads like a paid checkout's, so the card is saved on the account holder and the order's
 * subscription picks it by `source_transaction_id`.
 *
 * The decision is made from the amount Medusa passes initiatePayment (the payment collection's, i.e. the
 * cart's total), never from the storefront's `data`: a cart that costs anything gets a checkout session.
 */
export type ZeroAmountCheckout = {
  startsSubscription: boolean
  customerId?: string
  accountHolderId?: string
  savedCardId?: string
}

/** Why a zero-amount token session is not opened for this cart, or undefined when it may be. */
export function zeroAmountRefusal(options: DinteroOptions, cart: ZeroAmountCheckout): string | undefined {
  if (!cart.startsSubscription) {
    return (
      "Nothing is to be paid for this cart and it starts no subscription, so there is nothing for Dintero to do: " +
      "complete the cart without a payment session."
    )
  }
  if (!cart.customerId || !cart.accountHolderId) {
    return (
      "Nothing is to be paid now, but this cart starts a subscription whose later charges need a saved card: " +
      "the customer must log in, then the card is saved at Dintero without a charge."
    )
  }
  if (options.saveCards === "never" || !options.tokenEncryptionKey) {
    return (
      "Nothing is to be paid now, but this store does not save cards (the Dintero provider's saveCards option is \"never\"), " +
      "so the subscription this cart starts could never be charged."
    )
  }
  if (cart.savedCardId) {
    return (
      "Nothing is to be paid now: the subscription's card is saved at Dintero in this checkout. Paying with a saved card " +
      "(data.payment_method_id) is not offered when there is nothing to pay."
    )
  }
  if (!TOKENIZABLE_PRODUCTS.includes(options.paymentProductType as CardPaymentProductType)) {
    return `Nothing is to be paid now, and ${options.paymentProductType} cannot save a card without a payment: Dintero tokenizes cards only (${TOKENIZABLE_PRODUCTS.join(", ")}).`
  }
  return undefined
}

/**
 * The token session of a zero-amount checkout: the Medusa payment session is the merchant_reference (as for a
 * checkout session, so callbacks and returns are matched the same way) and the cart the second reference.
 */
export function zeroAmountTokenSessionRequest(
  options: DinteroOptions,
  input: {
    medusaSessionId: string
    cartId?: string
    currency: string
    returnUrl: string
    customer: { id: string; email?: string | null }
  }
): PaymentTokenSessionRequest {
  const productType = options.paymentProductType as CardPaymentProductType
  return {
    session: {
      order: {
        currency: input.currency.toUpperCase(),
        merchant_reference: input.medusaSessionId,
        ...(input.cartId ? { merchant_reference_2: input.cartId } : {}),
      },
      url: { return_url: input.returnUrl, callback_url: callbackUrl(options).toString() },
      profile_id: options.profileId,
      customer: { customer_id: input.customer.id, ...(input.customer.email ? { email: input.customer.email } : {}) },
      ...(options.sessionTtlMinutes ? { expires_at: new Date(Date.now() + options.sessionTtlMinutes * 60_000).toISOString() } : {}),
    },
    token_provider: { payment_product_type: productType, token_types: tokenTypesFor(productType) },
  }
}

/**
 * A transaction of a zero-amount checkout is Dintero's card verification: amount 0 and `payment_operation`
 * `generate_payment_token` (payments spec PaymentOperationIntent). Anything else under this session is not
 * the card the customer was asked to save.
 */
export function isCardVerification(transaction: Pick<Transaction, "amount" | "payment_operation">): boolean {
  return transaction.amount === 0 && transaction.payment_operation === "generate_payment_token"
}

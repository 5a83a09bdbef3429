import type { CardPaymentProductType, SessionPayRequest } from "../../lib/dintero"
import type { CardTokens } from "./card-vault"

/**
 * Which token to ask Dintero for, and which to send back, per card product (docs
 * /docs/checkout/tokenization and "Use a stored card token"): Swedbank Pay (payex) issues a payment token
 * and a recurrence token; Dintero PSP and Bambora issue a payment token used for everything.
 */
export function tokenRequestConfiguration(type: CardPaymentProductType) {
  switch (type) {
    case "payex.creditcard":
      return { payex: { creditcard: { enabled: true, generate_payment_token: true, generate_recurrence_token: true } } }
    case "bambora.creditcard":
      return { bambora: { creditcard: { enabled: true, generate_payment_token: true } } }
    case "dintero_psp.creditcard":
      return { dintero_psp: { creditcard: { enabled: true, generate_payment_token: true } } }
  }
}

/** A saved card in a customer-present session: the payer confirms it on Dintero's page (CVC where required). */
export function customerPresentTokens(type: CardPaymentProductType, tokens: CardTokens) {
  return { [type]: { payment_token: tokens.payment_token } }
}

/**
 * A merchant-initiated charge: `recurring_purchase` with a recurrence token where the product issues them,
 * otherwise `unscheduled_purchase` with the payment token.
 */
export function merchantInitiatedPayment(type: CardPaymentProductType, tokens: CardTokens) {
  if (tokens.recurrence_token) {
    return {
      tokens: { [type]: { recurrence_token: tokens.recurrence_token } },
      payment: { payment_product_type: type, operation: "recurring_purchase" } as SessionPayRequest["payment"],
    }
  }
  return {
    tokens: { [type]: { payment_token: tokens.payment_token } },
    payment: { payment_product_type: type, operation: "unscheduled_purchase" } as SessionPayRequest["payment"],
  }
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import { startsSubscription } from "../../providers/dintero/cart-snapshot"
import { DinteroProviderService } from "../../providers/dintero/service"

/** The cart as steps/authorize-card-verification.ts reads it (a subset of core-flows cart/utils/fields completeCartFields). */
export type CartToComplete = {
  id: string
  total?: unknown
  credit_line_total?: unknown
  completed_at?: unknown
  metadata?: unknown
  customer?: { id?: string; has_account?: boolean } | null
  items?: Array<{ metadata?: unknown } | null> | null
  payment_collection?: {
    payment_sessions?: Array<{ id: string; provider_id: string; status: string; data?: Record<string, any> | null } | null> | null
  } | null
}

/** Every Dintero provider registers as `pp_dintero_<id>`; only they write `data.dintero` (storefront-data.ts). */
const DINTERO_PROVIDER_PREFIX = `pp_${DinteroProviderService.identifier}_`
const LIVE_STATUSES = new Set(["pending", "requires_more", "authorized", "pending_authorization"])

type CartPaymentSessions = Pick<CartToComplete, "payment_collection">

/** The cart's live Dintero session that only saves a card (a zero-amount token session), if it has one. */
function cardVerificationSession(cart: CartPaymentSessions) {
  return (cart.payment_collection?.payment_sessions ?? []).find(
    (session): session is NonNullable<typeof session> =>
      !!session &&
      session.provider_id.startsWith(DINTERO_PROVIDER_PREFIX) &&
      LIVE_STATUSES.has(session.status) &&
      session.data?.dintero?.card_verification === true
  )
}

/**
 * Whether authorizeCardVerification can have anything to do for a cart, read from what costs one light query
 * (no totals), so that every other checkout's completion pays nothing for it: a cart with a card
 * verification session, or one whose payment collection is for nothing (or that has none). Medusa keeps the
 * payment collection's amount equal to the cart's total (refreshPaymentCollectionForCartWorkflow runs on every
 * cart change), so a collection for more than 0 without a verification session is a cart that pays.
 */
export function mayNeedCardVerification(cart: CartPaymentSessions & { completed_at?: unknown; payment_collection?: { amount?: unknown } | null }): boolean {
  if (cart.completed_at) {
    return false
  }
  if (cardVerificationSession(cart)) {
    return true
  }
  const amount = cart.payment_collection?.amount
  return amount === undefined || amount === null || MathBN.lte(MathBN.convert(amount as any), 0)
}

/**
 * A cart with nothing to pay that starts a subscription (a free trial with free shipping) is completed only
 * once the card for the subscription is saved. Medusa 2.21 skips payment for such a cart
 * (core-flows cart/steps/validate-cart-payments: `credit_line_total >= 0 && total <= 0` → no session is
 * authorized), so without this the order would be placed with no card and the subscription never started.
 * Here the cart's Dintero card verification (the zero-amount token session, providers/dintero/
 * zero-amount-checkout.ts) is authorized through Medusa's payment module: the provider reads Dintero's
 * transaction, saves the card on the account holder and Medusa records a Payment of 0 whose transaction
 * the order's subscription picks (prepare-subscriptions-from-order.ts), as after a paid checkout.
 *
 * Runs before Medusa's completeCartWorkflow, under the cart lock it takes (workflow.ts), before the order
 * exists: a refusal places nothing.
 * A cart that costs something is Medusa's to authorize, but never with a card verification: that would
 * stand for an amount nobody paid.
 */
export async function authorizeCardVerification(container: Pick<MedusaContainer, "resolve">, cart: CartToComplete): Promise<void> {
  if (!cart?.id || cart.completed_at) {
    // Completed already (the callback and the customer's return both complete it): Medusa answers the order.
    return
  }
  const verification = cardVerificationSession(cart)
  const nothingToPay = MathBN.gte(MathBN.convert((cart.credit_line_total ?? 0) as any), 0) && MathBN.lte(MathBN.convert((cart.total ?? 0) as any), 0)

  if (!nothingToPay) {
    if (verification) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "This cart now has something to pay, but its Dintero session only saves a card: start the payment again (a new payment session)."
      )
    }
    return
  }
  if (!startsSubscription(cart)) {
    // A free order without a subscription: Medusa places it without a payment, nothing of Dintero's is involved.
    return
  }
  // Medusa gives a guest's cart a customer too (made from its email, `has_account: false`): not someone who can log in.
  if (!cart.customer?.id || cart.customer.has_account === false) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Nothing is to be paid now, but this cart starts a subscription whose later charges need a saved card: the customer must log in to check out."
    )
  }
  if (!verification) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "Nothing is to be paid now, but this cart starts a subscription: save the card first, in a Dintero payment session " +
        "(the customer confirms the card on Dintero's page; nothing is charged until the trial ends)."
    )
  }

  const paymentModule = container.resolve(Modules.PAYMENT)
  let payment: unknown
  try {
    payment = await paymentModule.authorizePaymentSession(verification.id, {})
  } catch (error) {
    // The provider's own reason (not saved yet, declined) is what the storefront shows; Medusa's route answers
    // a PAYMENT_AUTHORIZATION_ERROR with the cart, as for a payment that did not go through.
    const message = error instanceof Error ? error.message : String(error)
    const type = MedusaError.isMedusaError(error) && (error as MedusaError).type === MedusaError.Types.UNEXPECTED_STATE
      ? MedusaError.Types.UNEXPECTED_STATE
      : MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR
    throw new MedusaError(type, message)
  }
  if (!payment) {
    // Deferred (Dintero still deciding): no card yet, so no order yet.
    throw new MedusaError(MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, "Dintero has not confirmed the card yet: the order is placed once it has.")
  }
}

import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import type { TransactionStatus } from "../../lib/dintero"

/**
 * The one table from Dintero transaction statuses (docs /docs/checkout/after-payment) to Medusa's payment
 * session statuses and webhook actions. ON_HOLD is Dintero's "still deciding" (it later turns AUTHORIZED or
 * FAILED and sends a second callback), which is exactly Medusa's deferred `pending_authorization`.
 */
const TABLE: Record<TransactionStatus, { session: PaymentSessionStatus; action: PaymentActions }> = {
  INITIATED: { session: PaymentSessionStatus.PENDING, action: PaymentActions.PENDING },
  ON_HOLD: { session: PaymentSessionStatus.PENDING_AUTHORIZATION, action: PaymentActions.PENDING_AUTHORIZATION },
  UNKNOWN: { session: PaymentSessionStatus.PENDING, action: PaymentActions.PENDING },
  AUTHORIZED: { session: PaymentSessionStatus.AUTHORIZED, action: PaymentActions.AUTHORIZED },
  CAPTURED: { session: PaymentSessionStatus.CAPTURED, action: PaymentActions.SUCCESSFUL },
  PARTIALLY_CAPTURED: { session: PaymentSessionStatus.CAPTURED, action: PaymentActions.NOT_SUPPORTED },
  PARTIALLY_CAPTURED_REFUNDED: { session: PaymentSessionStatus.CAPTURED, action: PaymentActions.NOT_SUPPORTED },
  PARTIALLY_REFUNDED: { session: PaymentSessionStatus.CAPTURED, action: PaymentActions.NOT_SUPPORTED },
  REFUNDED: { session: PaymentSessionStatus.CAPTURED, action: PaymentActions.NOT_SUPPORTED },
  AUTHORIZATION_VOIDED: { session: PaymentSessionStatus.CANCELED, action: PaymentActions.CANCELED },
  DECLINED: { session: PaymentSessionStatus.ERROR, action: PaymentActions.FAILED },
  FAILED: { session: PaymentSessionStatus.ERROR, action: PaymentActions.FAILED },
}

export function toSessionStatus(status: TransactionStatus): PaymentSessionStatus {
  return TABLE[status].session
}

/**
 * Partial captures and refunds are done from Medusa itself, so a callback reporting them has nothing left
 * to tell Medusa (and must never make Medusa capture the rest): those map to NOT_SUPPORTED.
 */
export function toWebhookAction(status: TransactionStatus): PaymentActions {
  return TABLE[status].action
}

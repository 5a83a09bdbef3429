import { PaymentActions } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { fromMinorUnits, type Transaction } from "../../../lib/dintero"
import { capturedAmount } from "../../../providers/dintero/transaction-facts"
import type { ExpressPaymentNotice } from "../../../providers/dintero/callback"
import { dinteroAccess } from "../dintero-access"
import { medusaRecordsOf } from "./medusa-records"

export type ReconcileSessionInput = {
  provider_id: string
  payment_session_id: string
  payment_collection_id: string
  dintero_session_id: string
  /** The Medusa payment session was deleted (the cart changed, or it was replaced) after it was created. */
  deleted: boolean
  /**
   * An express checkout's cart (docs/express.md): its Dintero session outlives the Medusa payment sessions linked
   * to it, so the transaction is the cart's (merchant_reference_2), and whether the cart still stands for it is
   * decided when completing, as for the callback (workflows/dintero-express).
   */
  express_cart_id?: string
  /** ISO time the run works at. */
  now: string
}

export type TransactionSummary = {
  id: string
  status: string
  amount: number
  currency: string
  authorized_at: string | null
}

export type Inspection = {
  /**
   * unpaid: Dintero has no transaction for the session (leave it alone) · undecided: ON_HOLD and the like ·
   * not_paid: declined or voided · foreign: the transaction is not this session's · recorded: Medusa already
   * has its Payment · complete: paid and Medusa is missing it (complete as the callback would) · orphan: paid,
   * and nothing in Medusa can take it (report, void later).
   */
  verdict: "unpaid" | "undecided" | "not_paid" | "foreign" | "recorded" | "complete" | "orphan"
  reason: string
  transaction: TransactionSummary | null
  cart_id: string | null
  order_id: string | null
  /** For `complete`: what Dintero's callback would have told Medusa's processPaymentWorkflow. */
  webhook: { action: PaymentActions; data: { session_id: string; amount: string; express?: ExpressPaymentNotice } } | null
}

const UNDECIDED = new Set(["INITIATED", "ON_HOLD", "UNKNOWN"])
const NOT_PAID = new Set(["FAILED", "DECLINED", "AUTHORIZATION_VOIDED"])

/**
 * Reads back from Dintero what became of one pending payment session: one `GET /v1/transactions?session_id=`
 * (a session has at most one transaction, docs /docs/checkout/after-payment), then compares it with what
 * Medusa holds. Nothing is changed here.
 */
export const inspectDinteroPaymentStep = createStep("inspect-dintero-payment", async (input: ReconcileSessionInput, { container }) => {
  const { client } = dinteroAccess(container, input.provider_id)
  const transactions = await client.listTransactions({ sessionId: input.dintero_session_id, limit: 10 })
  const transaction = transactions.find((candidate) => candidate.session_id === input.dintero_session_id)
  const answer = (inspection: Omit<Inspection, "transaction" | "cart_id" | "order_id" | "webhook"> & Partial<Inspection>) =>
    new StepResponse<Inspection>({ transaction: transaction ? summary(transaction) : null, cart_id: null, order_id: null, webhook: null, ...inspection })

  if (!transaction) {
    return answer({ verdict: "unpaid", reason: "Dintero has no payment for this session." })
  }
  if (input.express_cart_id ? transaction.merchant_reference_2 !== input.express_cart_id : transaction.merchant_reference !== input.payment_session_id) {
    return answer({
      verdict: "foreign",
      reason: input.express_cart_id
        ? `The transaction's merchant_reference_2 is not the express cart ${input.express_cart_id}.`
        : `The transaction's merchant_reference is not ${input.payment_session_id}.`,
    })
  }
  if (UNDECIDED.has(transaction.status)) {
    return answer({ verdict: "undecided", reason: `Dintero has not decided yet (${transaction.status}).` })
  }
  if (NOT_PAID.has(transaction.status)) {
    return answer({ verdict: "not_paid", reason: `The payment was not made (${transaction.status}).` })
  }

  const medusa = await medusaRecordsOf(container, { ...input, transaction_id: transaction.id })
  const where = { cart_id: medusa.cartId, order_id: medusa.orderId }
  if (medusa.livePaymentId) {
    return answer({ verdict: "recorded", reason: `Medusa has it as payment ${medusa.livePaymentId}.`, ...where })
  }
  const orphanReason = input.deleted && !input.express_cart_id
    ? "The payment session was deleted in Medusa after the shopper paid (the cart changed or was paid again)."
    : medusa.cartGone
      ? `The cart ${medusa.cartId} no longer exists.`
      : medusa.orderId && medusa.otherLivePaymentId
        ? `The cart was completed as order ${medusa.orderId} with another payment (${medusa.otherLivePaymentId}).`
        : transaction.status !== "AUTHORIZED" && transaction.status !== "CAPTURED"
          ? `Dintero reports ${transaction.status}, which Medusa cannot record for a pending session.`
          : undefined
  if (orphanReason) {
    return answer({ verdict: "orphan", reason: orphanReason, ...where })
  }
  const captured = transaction.status === "CAPTURED"
  return answer({
    verdict: "complete",
    reason: "Paid at Dintero, but its callback never reached Medusa.",
    ...where,
    webhook: {
      action: captured ? PaymentActions.SUCCESSFUL : PaymentActions.AUTHORIZED,
      data: {
        session_id: input.payment_session_id,
        amount: fromMinorUnits(captured ? capturedAmount(transaction) : transaction.amount, transaction.currency),
        ...(input.express_cart_id
          ? {
              express: {
                cart_id: input.express_cart_id,
                dintero_session_id: input.dintero_session_id,
                transaction_id: transaction.id,
                provider_id: input.provider_id,
              },
            }
          : {}),
      },
    },
  })
})

export function summary(transaction: Transaction): TransactionSummary {
  const authorize = (transaction.events ?? []).find((event) => event.event === "AUTHORIZE" && event.success !== false)
  return {
    id: transaction.id,
    status: transaction.status,
    amount: transaction.amount,
    currency: transaction.currency.toUpperCase(),
    authorized_at: authorize?.created_at ?? transaction.created_at ?? null,
  }
}

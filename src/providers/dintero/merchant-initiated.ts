import { MedusaError, PaymentSessionStatus } from "@medusajs/framework/utils"
import type { InitiatePaymentOutput } from "@medusajs/framework/types"
import { z } from "zod"
import {
  DinteroError,
  orderItemSchema,
  type DinteroClient,
  type SessionPayAnswer,
  type SessionPayRefusal,
  type TransactionError,
} from "../../lib/dintero"
import type { CardVault } from "./card-vault"
import { sumVat } from "./order-lines"
import { paymentMethodLabel } from "./payment-products"
import type { DinteroData } from "./session-data"
import { medusaSessionMetadata } from "./session-metadata"
import { toSessionStatus } from "./status"
import { latestError } from "./transaction-facts"
import { merchantInitiatedPayment } from "./tokenization"

/** What a server-side caller (the subscription renewal) puts in `context.merchant_initiated` of a payment session. */
export const merchantInitiatedRequestSchema = z.object({
  card_id: z.string().min(1),
  /** Unique per thing being paid for (e.g. subscription + period): Dintero's merchant_reference. */
  merchant_reference: z.string().min(1),
  capture: z.boolean().default(true),
  items: z.array(orderItemSchema).optional(),
  /**
   * The caller knows how every earlier attempt with this merchant_reference ended (there was none, or Dintero
   * declined it and that answer was recorded): nothing can have been charged under it without our knowing, so
   * Dintero is not searched for an earlier charge before paying. Left out (the default), or whenever an earlier
   * attempt's outcome is unknown (a crash or a lost answer between the pay request and its record), the earlier
   * charge is looked up first and adopted. Dintero's strict-success-merchant-reference stays behind both.
   */
  earlier_outcomes_known: z.boolean().default(false),
})
export type MerchantInitiatedRequest = z.infer<typeof merchantInitiatedRequestSchema>

const PAID = new Set(["AUTHORIZED", "CAPTURED", "PARTIALLY_CAPTURED", "PARTIALLY_REFUNDED", "REFUNDED", "PARTIALLY_CAPTURED_REFUNDED"])
/** Dintero is still deciding (it turns AUTHORIZED or FAILED): charging again could charge twice. */
const UNDECIDED = new Set(["ON_HOLD", "INITIATED"])

/**
 * Charges a saved card without the customer (POST /v1/sessions/pay). Dintero has no idempotency key, so a
 * charge is identified by its merchant reference: an earlier successful charge with the same reference
 * (a run that crashed after Dintero answered), or one Dintero is still deciding (ON_HOLD), is adopted
 * instead of charging again, and Dintero's
 * `strict-success-merchant-reference` toggle makes Dintero itself refuse a second successful charge.
 * A decline is not an error here: Dintero answers 200 + FAILED with a retry policy, which the caller needs;
 * a request Dintero refuses (400 with `success: false`, e.g. a revoked token) is recorded the same way.
 */
export async function chargeStoredCard(
  deps: { client: DinteroClient; vault: CardVault; callbackUrl: string },
  input: { accountHolderId: string; request: MerchantInitiatedRequest; amount: number; currency: string; medusaSessionId: string }
): Promise<InitiatePaymentOutput> {
  const { request, amount, currency } = input
  const items = request.items ?? [
    { id: "renewal", line_id: "renewal", description: "Renewal", quantity: 1, amount },
  ]
  const total = items.reduce((sum, item) => sum + item.amount, 0)
  if (total !== amount) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Order lines add up to ${total}, but the charge is ${amount} (minor units).`)
  }

  let transaction = request.earlier_outcomes_known ? undefined : await findEarlierCharge(deps.client, request.merchant_reference, amount, currency)
  let refusal: SessionPayRefusal | undefined
  if (!transaction) {
    const { card, tokens } = await deps.vault.tokensFor(input.accountHolderId, request.card_id, new Date(), { merchantInitiated: true })
    const { tokens: customerTokens, payment } = merchantInitiatedPayment(card.payment_product_type, tokens)
    let answer: SessionPayAnswer
    try {
      answer = await deps.client.payWithStoredCard(
        {
          session: {
            // Dintero calls it when the charge's outcome is known or changes (an ON_HOLD that turns AUTHORIZED
            // or FAILED: reference §5), so Medusa hears of it when Dintero decides, not at the next job run.
            url: { callback_url: deps.callbackUrl },
            customer: { tokens: customerTokens },
            order: { amount, currency, merchant_reference: request.merchant_reference, vat_amount: sumVat(items), items },
            configuration: { auto_capture: request.capture },
            metadata: medusaSessionMetadata(input.medusaSessionId),
          },
          payment,
        },
        { rejectReusedMerchantReference: true }
      )
    } catch (error) {
      // Refused as a reused reference (a 400 without the pay result): the earlier charge went through after all.
      const earlier = error instanceof DinteroError && error.status === 400
        ? await findEarlierCharge(deps.client, request.merchant_reference, amount, currency)
        : undefined
      if (!earlier) {
        throw error
      }
      answer = { kind: "transaction", transaction: earlier }
    }
    if (answer.kind === "transaction") {
      transaction = answer.transaction
    } else {
      // A refusal (400 with the pay result) may be of a reused reference too: an earlier charge wins.
      transaction = await findEarlierCharge(deps.client, request.merchant_reference, amount, currency)
      refusal = transaction ? undefined : answer.refusal
    }
  }

  const failed = transaction?.status === "FAILED" || transaction?.status === "DECLINED"
  const decline = refusal ? declineOf(refusal.error) : transaction && failed ? declineOf(latestError(transaction) ?? {}) : undefined
  if (decline?.retry_codes.includes("DO_NOT_RETRY")) {
    // The issuer says never retry this card: recorded on the card itself, so no subscription, job or admin
    // action charges it without the customer again (card-vault.ts tokensFor). Best effort: failing to
    // write it must not turn a known decline into an unknown outcome, which would be retried; the
    // subscription's own record of the decline still stops its retries.
    await deps.vault
      .block(input.accountHolderId, request.card_id, { code: "DO_NOT_RETRY", at: new Date().toISOString(), transaction_id: transaction?.id ?? null, message: decline.message ?? null })
      .catch(() => undefined)
  }

  if (!transaction) {
    // Dintero refused the request (400 with `success: false`): no transaction was made. Recorded like a decline,
    // with Dintero's code, so the subscription's dunning decides what comes next. Without a session id (refused
    // before one was created) the merchant reference names the charge.
    const sessionId = refusal?.session_id ?? request.merchant_reference
    const data: DinteroData = {
      session_id: sessionId,
      medusa_session_id: input.medusaSessionId,
      amount,
      currency,
      merchant_initiated: true,
      decline: decline ?? { types: [], retry_codes: [] },
    }
    return { id: sessionId, status: PaymentSessionStatus.ERROR, data: { dintero: data } }
  }

  const data: DinteroData = {
    session_id: transaction.session_id ?? transaction.id,
    medusa_session_id: input.medusaSessionId,
    amount,
    currency,
    transaction_id: transaction.id,
    transaction_status: transaction.status,
    // As a read of the transaction records them (payment-state.ts): the session is authorized from this answer.
    ...(transaction.payment_product_type
      ? { payment_product_type: transaction.payment_product_type, payment_method: paymentMethodLabel(transaction.payment_product_type) }
      : {}),
    merchant_initiated: true,
    ...(decline ? { decline } : {}),
  }
  return { id: transaction.id, status: toSessionStatus(transaction.status) as PaymentSessionStatus, data: { dintero: data } }
}

/** An earlier charge for the same reference that went through or is still being decided. */
async function findEarlierCharge(client: DinteroClient, merchantReference: string, amount: number, currency: string) {
  const earlier = (await client.listTransactions({ merchantReference, limit: 100 })).filter(
    (tx) => tx.amount === amount && tx.currency.toUpperCase() === currency
  )
  return earlier.find((tx) => PAID.has(tx.status)) ?? earlier.find((tx) => UNDECIDED.has(tx.status))
}

/** A decline as the caller records it, from a FAILED transaction's error or a refusal's error (same fields). */
export function declineOf(error: TransactionError): NonNullable<DinteroData["decline"]> {
  const retryAfter = error.retry_policy?.retry_after
  return {
    ...(error.code ? { code: error.code } : {}),
    ...(error.message ? { message: error.message } : {}),
    types: error.type ?? [],
    retry_codes: error.retry_policy?.retry_codes ?? [],
    ...(retryAfter !== undefined && retryAfter !== null
      ? { retry_after: typeof retryAfter === "number" ? new Date(Date.now() + retryAfter * 1000).toISOString() : retryAfter }
      : {}),
  }
}

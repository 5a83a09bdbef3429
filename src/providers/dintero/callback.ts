import { BigNumber, MedusaError, PaymentActions } from "@medusajs/framework/utils"
import type { Logger, ProviderWebhookPayload, WebhookActionResult } from "@medusajs/framework/types"
import { fromMinorUnits, verifyCallbackSignature, type DinteroClient, type Transaction } from "../../lib/dintero"
import { isCardSetupReference } from "./card-setup"
import { toMedusaError } from "./errors"
import { callbackUrl, type DinteroOptions } from "./options"
import { isExpressMetadata, medusaSessionOf } from "./session-metadata"
import { toWebhookAction } from "./status"
import { capturedAmount } from "./transaction-facts"
import { moneyFacts, type DinteroMoneyFacts } from "./operation-facts"
import { noteVerifiedTransaction } from "./verified-transaction"

type CallbackDeps = { client: DinteroClient; options: DinteroOptions; logger?: Logger }

/**
 * What a Dintero callback means, for the provider's getWebhookActionAndData.
 *
 * The plugin's /hooks/dintero/callback route passes the raw query (`callback_query`), the method, and for
 * `method=POST` the id of the Transaction in the body (`body_transaction_id`). Dintero signs the URL, not
 * the body (docs /docs/checkout/validating-callbacks), so with a `callbackSecret` the signature is checked
 * before anything else, the transaction is the one the signed query names, and a POST body must be that
 * same transaction: a signature seen once cannot be replayed with another body. Either way the transaction
 * is read back from Dintero and only that is trusted.
 *
 * Medusa's own /hooks/payment/dintero_dintero route hands us the body only, never the URL: with a secret
 * configured nothing there can be verified, so it is refused (NOT_SUPPORTED, nothing read, nothing moved).
 */
export async function readDinteroCallback(
  { client, options, logger }: CallbackDeps,
  payload: ProviderWebhookPayload["payload"]
): Promise<WebhookActionResult> {
  const body = payload.data ?? {}
  const fromPluginRoute = typeof body.callback_query === "string"
  if (options.callbackSecret && !fromPluginRoute) {
    logger?.warn(
      `Dintero: refused an unsigned callback on Medusa's /hooks/payment route (it carries no URL to verify); ` +
        `configure Dintero to call ${callbackUrl(options)} instead`
    )
    return { action: PaymentActions.NOT_SUPPORTED }
  }
  const query = new URLSearchParams(fromPluginRoute ? String(body.callback_query) : "")
  const method = String(body.callback_method ?? "GET").toUpperCase()
  if (options.callbackSecret) {
    assertSignature(options, query, method, payload.headers)
  }
  const queryTransactionId = query.get("transaction_id") ?? undefined
  const bodyTransactionId = fromPluginRoute
    ? (body.body_transaction_id as string | undefined)
    : ((body.transaction_id ?? body.id) as string | undefined)
  if (method === "POST" && queryTransactionId && bodyTransactionId !== queryTransactionId) {
    throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "Dintero callback rejected: the body is not the transaction its signed URL names")
  }
  // A signed callback acts on the transaction its signed URL names and nothing else.
  const transactionId = String((options.callbackSecret ? queryTransactionId : queryTransactionId ?? bodyTransactionId) ?? "")
  // Transaction ids start with the account id: another account's callback is for another provider.
  if (!transactionId.startsWith(`${options.accountId}.`)) {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
  let transaction: Transaction
  try {
    transaction = await client.getTransaction(transactionId)
  } catch (error) {
    // Only "Dintero does not know it" is final; any other failure (our credentials included) is for
    // Dintero to retry, never a 401 that would stop its retries.
    const converted = toMedusaError(error, `read transaction ${transactionId} for a callback`)
    throw converted.type === MedusaError.Types.NOT_FOUND ? converted : new MedusaError(MedusaError.Types.UNEXPECTED_STATE, converted.message)
  }
  const sessionId = transaction.merchant_reference ?? ""
  if (isCardSetupReference(transaction.merchant_reference)) {
    return cardSetupNotice(transaction)
  }
  if (!sessionId.startsWith("payses_")) {
    return merchantInitiatedDecision(transaction)
  }
  // For the authorization this callback leads to, inside the callback's own scope only.
  noteVerifiedTransaction(transaction)
  const action = toWebhookAction(transaction.status)
  const amount = action === PaymentActions.SUCCESSFUL ? capturedAmount(transaction) : transaction.amount
  // The action is for Medusa's processPaymentWorkflow (which ignores NOT_SUPPORTED, e.g. a part-capture);
  // `dintero` is what the transaction shows of the money moved since, for the plugin's callback workflow to
  // record what was done in Dintero's Backoffice (report_event callbacks).
  const data: DinteroCallbackData = {
    session_id: sessionId,
    amount: new BigNumber(fromMinorUnits(amount, transaction.currency)),
    dintero: moneyFacts(transaction),
    ...(isExpressMetadata(transaction.metadata) && transaction.merchant_reference_2 && transaction.session_id
      ? { express: { cart_id: transaction.merchant_reference_2, dintero_session_id: transaction.session_id, transaction_id: transaction.id } }
      : {}),
  }
  return { action, data }
}

export type DinteroCallbackData = NonNullable<WebhookActionResult["data"]> & { dintero: DinteroMoneyFacts; express?: ExpressPaymentNotice }

/**
 * An express checkout's payment (docs/express.md): its merchant_reference is the Medusa payment session that opened
 * the Dintero session, which Medusa may since have replaced (the cart's total changed). The callback workflow
 * pays the cart's live session linked to this Dintero session instead, after putting the transaction's address and
 * shipping option on the cart (workflows/dintero-express).
 */
export type ExpressPaymentNotice = { cart_id: string; dintero_session_id: string; transaction_id: string; provider_id?: string }

/** Dintero's decision on a charge (AUTHORIZED or CAPTURED with auto-capture; FAILED or DECLINED). */
const DECIDED = new Set(["AUTHORIZED", "CAPTURED", "FAILED", "DECLINED"])

/**
 * A merchant-initiated charge (`/v1/sessions/pay`, e.g. a subscription renewal) carries our callback URL, so
 * Dintero reports here when a charge it held for review (ON_HOLD) is decided. Its merchant_reference is the
 * thing paid for (`<subscription>:<period>`), not a Medusa payment session, and nothing in Medusa's own
 * payment flow has to happen (NOT_SUPPORTED: Medusa's webhook subscriber ignores it). The decision, as read
 * back from Dintero, is handed to the plugin's callback workflow, which settles the charge the way the
 * renewal job would (workflows/settle-merchant-initiated-charge). Undecided statuses (ON_HOLD) need nothing.
 */
function merchantInitiatedDecision(transaction: Transaction): WebhookActionResult {
  const medusaSessionId = medusaSessionOf(transaction.metadata)
  if (!transaction.merchant_reference || !medusaSessionId || !DECIDED.has(transaction.status)) {
    return { action: PaymentActions.NOT_SUPPORTED }
  }
  const decision: MerchantInitiatedDecision = {
    payment_session_id: medusaSessionId,
    merchant_reference: transaction.merchant_reference,
    transaction_id: transaction.id,
    status: transaction.status,
  }
  return {
    action: PaymentActions.NOT_SUPPORTED,
    data: {
      session_id: medusaSessionId,
      amount: new BigNumber(fromMinorUnits(transaction.amount, transaction.currency)),
      merchant_initiated: decision,
    } as NonNullable<WebhookActionResult["data"]>,
  }
}

/**
 * A card saved without a purchase (a zero-amount token session, card-setup.ts): its merchant_reference is the
 * plugin's card setup, not a Medusa payment session, and Medusa's payment flow has nothing to do
 * (NOT_SUPPORTED). The plugin's callback workflow completes the card setup, which reads the transaction again
 * with its tokens and checks that it is the setup's own.
 */
function cardSetupNotice(transaction: Transaction): WebhookActionResult {
  const notice: CardSetupNotice = { card_setup_id: transaction.merchant_reference!, transaction_id: transaction.id }
  return {
    action: PaymentActions.NOT_SUPPORTED,
    data: { session_id: notice.card_setup_id, amount: new BigNumber(0), card_setup: notice } as NonNullable<WebhookActionResult["data"]>,
  }
}

/** What the callback workflow receives for a card setup's token session (in the webhook result's data). */
export type CardSetupNotice = { card_setup_id: string; transaction_id: string }

/** What the callback workflow receives for a decided merchant-initiated charge (in the webhook result's data). */
export type MerchantInitiatedDecision = {
  /** The Medusa payment session the charge was made for (from the transaction's metadata). */
  payment_session_id: string
  merchant_reference: string
  transaction_id: string
  status: string
}

/**
 * Dintero signs the URL it called, which is our callback URL with its query: rebuild it from config. A
 * request without a query cannot be Dintero's (its callbacks always carry one), so it is refused as unsigned.
 */
function assertSignature(options: DinteroOptions, query: URLSearchParams, method: string, headers: Record<string, unknown>): void {
  const url = callbackUrl(options)
  url.search = query.toString()
  const header = headers?.["dintero-signature"]
  const check = verifyCallbackSignature({
    header: typeof header === "string" && query.toString() !== "" ? header : undefined,
    secret: options.callbackSecret!,
    accountId: options.accountId,
    method,
    url,
  })
  if (!check.valid) {
    throw new MedusaError(MedusaError.Types.UNAUTHORIZED, `Dintero callback rejected: signature ${check.reason}`)
  }
}

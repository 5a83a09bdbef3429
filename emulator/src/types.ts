/**
 * Public types of the Dintero emulator: its options, the payer/test helpers and
 * the records it keeps for tests (requests, callbacks, charges, tokens).
 * Dintero's own resource shapes (Session, Transaction) live in model.ts.
 */

import type { MethodOutcome, PaymentProductType } from "./payment-products"

export type { MethodOutcome, PaymentProductType }

/** Card payment product types that support tokens (reference §3, §4). */
export type CardProductType = "dintero_psp.creditcard" | "payex.creditcard" | "bambora.creditcard"

export type TransactionStatus =
  | "INITIATED"
  | "AUTHORIZED"
  | "AUTHORIZATION_VOIDED"
  | "CAPTURED"
  | "PARTIALLY_CAPTURED"
  | "PARTIALLY_CAPTURED_REFUNDED"
  | "REFUNDED"
  | "PARTIALLY_REFUNDED"
  | "DECLINED"
  | "FAILED"
  | "UNKNOWN"
  | "ON_HOLD"

export interface EmulatorAccount {
  /** `T` or `P` followed by 8 digits, e.g. `T12345678`. */
  accountId: string
  clientId: string
  clientSecret: string
  /** Payment profiles known to the account; `default` when omitted. */
  profiles?: string[]
  /** The card product the account's profiles use; `dintero_psp.creditcard` when omitted. */
  paymentProductType?: CardProductType
}

export interface DinteroEmulatorOptions {
  host?: string
  /** 0 picks a free port. */
  port?: number
  accounts?: EmulatorAccount[]
  /** When set, callbacks carry `Dintero-Signature`. Can also be created with POST /v1/admin/signature. */
  signatureSecret?: string
  /** `x-api-key` accepted by /v1/admin/signature. */
  adminApiKey?: string
  accessTokenTtlSeconds?: number
  /** Base delay of the exponential callback retry backoff. */
  callbackRetryDelayMs?: number
  /** Upper bound of one retry delay. */
  callbackMaxRetryDelayMs?: number
  callbackTimeoutMs?: number
  /**
   * Timeout of the Express callbacks the emulator makes to the merchant (shipping address, discount codes).
   * Dintero documents 60 seconds and no retry; tests set it low.
   */
  expressCallbackTimeoutMs?: number
  /** Multiplies `delay_callback=<s>` (tests may use e.g. 0.01). Default 1. */
  callbackDelayScale?: number
  /** Answer capture/refund/void with 202 and apply them a moment later (reference §5). */
  asyncOperations?: boolean
  asyncOperationDelayMs?: number
  /** Lifetime of sessions created without `expires_at`. Default 24 h (emulator choice). */
  sessionTtlSeconds?: number
  now?: () => Date
  log?: (line: string) => void
}

export interface PayOptions {
  card?: string
  /** `MM/YY` or `MM/YYYY`. */
  expiry?: string
  cvc?: string
  /** Pay with the card stored behind the session's `customer.tokens`. */
  useSavedToken?: boolean
  /** Press "Cancel" instead of paying. */
  cancel?: boolean
  /**
   * The payment product the payer picks: a card product (as when the payment profile offers several; the
   * session's configuration or the account's product otherwise) or another method the page offers
   * (`vipps`, `swish.swish`, `collector.invoice`, `instabank.invoice`, `klarna.klarna`).
   */
  productType?: PaymentProductType
  /**
   * For methods other than cards: what the payer's app or the invoice provider answers. `approve` (default),
   * `decline`, or `on_hold` (manual review; only where the product has it, e.g. `collector.invoice`).
   * Cards are decided by the test card number.
   */
  outcome?: MethodOutcome
}

export interface PayResult {
  transactionId?: string
  status?: TransactionStatus
  /** `cancelled`, `authorization` (declined) or `invalid_input` (the form was rejected). */
  error?: string
  /** For declines: DECLINED, INSUFFICIENT_FUNDS, EXPIRED_CARD, … */
  declineCode?: string
  message?: string
  /** Where the payer's browser goes next (the return_url, or back to the checkout page). */
  redirectUrl: string
}

/**
 * Outcome queued for the next merchant-initiated charge of a stored token. `on_hold`: the charge is held for
 * review (ON_HOLD) and later resolved with the control API, like a held checkout payment.
 */
export type MitOutcome = "approve" | "on_hold" | "insufficient_funds" | "do_not_retry" | "retry_immediately" | "expired_card"

export interface Fault {
  /** How many matching requests it hits. Default 1. */
  count?: number
  match?: { method?: string; path?: string | RegExp }
  kind: "status" | "timeout" | "reset"
  /** For kind `status`. Default 500. */
  status?: number
  /** Seconds; sets `Retry-After` (on 429/503). */
  retryAfter?: number
  /** `before` fails without processing; `after` processes (state changes) and then fails. */
  phase?: "before" | "after"
  /** For `timeout`: hold this long, then answer normally. Without it, hold until the client gives up. */
  delayMs?: number
  /**
   * Faults armed only when this one hits, e.g. "the capture's answer is lost, and then the reads that
   * would find out fail too". Without it a later fault on reads would also hit the reads before it.
   */
  then?: Fault[]
}

export interface ActiveFault extends Required<Pick<Fault, "kind" | "phase">> {
  id: string
  remaining: number
  match?: { method?: string; path?: string }
  status?: number
  retryAfter?: number
  delayMs?: number
  then?: Fault[]
}

export interface RecordedRequest {
  requestId: string
  method: string
  path: string
  query: Record<string, string | string[]>
  /** Header names lower-cased; `authorization` and `x-api-key` redacted. */
  headers: Record<string, string>
  body?: unknown
  status: number
  /** Set when an injected fault hit the request. */
  fault?: string
  at: string
  durationMs: number
}

export interface CallbackAttempt {
  deliveryId: string
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number
  method: "GET" | "POST"
  url: string
  query: Record<string, string | string[]>
  headers: Record<string, string>
  body?: unknown
  transactionId?: string
  sessionId: string
  /** The `event` query parameter (CAPTURE, REFUND, VOID) when set. */
  event?: string
  /** Express callbacks only (express.ts): which one it was. Payment callbacks have no kind. */
  kind?: "express_shipping_address" | "express_discount_codes"
  /** Express callbacks only: the merchant's answer (JSON, or text when not JSON). */
  response?: unknown
  /** The `error` query parameter (cancelled, authorization, failed) when set. */
  callbackError?: string
  /** HTTP status the receiver answered. */
  status?: number
  /** Transport failure: `timeout`, `ECONNREFUSED`, … */
  error?: string
  outcome: "delivered" | "retrying" | "failed"
  at: string
}

export interface ChargeRecord {
  merchantReference: string
  amount: number
  currency: string
  operation: string
  paymentProductType: string
  tokenId?: string
  status: TransactionStatus
  success: boolean
  declineCode?: string
  transactionId: string
  sessionId: string
  at: string
}

export interface StoredToken {
  id: string
  /** The secret token value merchants store. */
  token: string
  type: "payment_token" | "recurrence_token"
  payment_product_type: CardProductType
  accountId: string
  status: "ACTIVE" | "REVOKED"
  card: { brand: string; masked_pan: string; expiry_date: string }
  /** What merchant-initiated charges do when no outcome is queued (from the test card). */
  cardBehaviour: MitOutcome
  customer_id?: string
  transaction_id: string
  created_at: string
  /** Outcomes queued with setTokenOutcomes, consumed one per charge. */
  queuedOutcomes: MitOutcome[]
}

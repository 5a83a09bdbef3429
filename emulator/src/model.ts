/**
 * Dintero resource shapes as the API returns them (snake_case, reference §2 and §5),
 * plus the emulator's internal records that wrap them.
 */
import type { CardProductType, MitOutcome, TransactionStatus } from "./types"

export type JsonObject = Record<string, unknown>

export interface OrderItem extends JsonObject {
  id?: string
  line_id?: string
  description?: string
  quantity?: number
  amount: number
  vat_amount?: number
  vat?: number
  type?: string
}

export interface ShippingOption extends JsonObject {
  id: string
  line_id: string
  amount: number
  title: string
  operator: string
  vat_amount?: number
  vat?: number
}

export interface SessionOrder extends JsonObject {
  amount: number
  currency: string
  merchant_reference: string
  merchant_reference_2?: string
  vat_amount?: number
  partial_payment?: boolean
  items?: OrderItem[]
  shipping_option?: ShippingOption
}

export interface SessionEvent {
  id: string
  name: string
  created_at: string
  request_id?: string
  details?: JsonObject
}

/** Which stored token a session's customer carries, by product type. Never the raw value. */
export interface SessionTokenRef {
  tokenId: string
  field: "payment_token" | "recurrence_token"
}

export interface SessionRecord {
  id: string
  accountId: string
  /**
   * `checkout` for hosted sessions, `mit` for sessions created by POST /v1/sessions/pay, `payment_token` for
   * zero-amount token sessions (POST /v1/sessions/payment-token: the payer saves a card, nothing is charged).
   */
  origin: "checkout" | "mit" | "payment_token"
  /** Payment token sessions only: the card product and the token types asked for (`token_provider`). */
  tokenProvider?: { productType: CardProductType; tokenTypes: Array<"payment_token" | "recurrence_token"> }
  profileId?: string
  createdAt: string
  updatedAt: string
  expiresAt: string
  url: { return_url?: string; callback_url?: string; merchant_terms_url?: string }
  order: SessionOrder
  customer?: JsonObject
  customerTokens: Partial<Record<CardProductType, SessionTokenRef>>
  configuration: JsonObject
  metadata: JsonObject
  /** Other fields of the create body echoed back as given (express, checkboxes, …). */
  extra: JsonObject
  events: SessionEvent[]
  /**
   * Set while the payer's side holds the session lock (Web SDK lockSession(), or POST /__emulator/sessions/:id/lock):
   * PUT /v1/sessions/{id} is then allowed without update_without_lock, and the session cannot be paid.
   */
  payLock?: { id: string; lockedAt: string }
  transactionId?: string
  cancelledAt?: string
  cancelledBy?: string
}

export interface TransactionEventError {
  code: string
  message: string
  type: string[]
  result_code?: string
  retry_policy: { retry_codes: string[]; retry_after?: string }
}

export interface TransactionEvent {
  id: string
  event: string
  transaction_status: TransactionStatus
  amount?: number
  items?: JsonObject[]
  success: boolean
  error?: TransactionEventError
  request_id: string
  correlation_request_id?: string
  event_reference?: string
  created_at: string
  metadata?: JsonObject
}

export interface Card extends JsonObject {
  brand: string
  masked_pan: string
  expiry_date: string
  type: string
  country?: string
  payment_token_id?: string
  recurrence_token_id?: string
}

export interface Transaction extends JsonObject {
  id: string
  session_id: string
  merchant_reference: string
  merchant_reference_2?: string
  amount: number
  currency: string
  status: TransactionStatus
  payment_product: string
  payment_product_type: string
  payment_operation?: string
  items: OrderItem[]
  shipping_option?: ShippingOption
  customer?: JsonObject
  card?: Card
  url: { callback_url?: string }
  metadata: JsonObject
  created_at: string
  updated_at: string
  events: TransactionEvent[]
}

/** A card the payer typed (or a stored token stands for), as far as the emulator needs it. */
export interface PaymentCard {
  brand: string
  masked_pan: string
  expiry_date: string
  /** What later merchant-initiated charges of a token made from this card do. */
  mitBehaviour: MitOutcome
}

export interface PendingOperation {
  kind: "CAPTURE" | "REFUND" | "VOID"
  amount: number
  requestId: string
}

export interface TransactionRecord {
  /** Creation order; breaks created_at ties when listing newest first. */
  seq: number
  accountId: string
  tx: Transaction
  /** Tokens the session asked for, created once the transaction is authorized. */
  tokenRequest?: { card: PaymentCard; payment: boolean; recurrence: boolean; customerId?: string }
  /** Operations answered with 202 and not applied yet (asyncOperations). */
  pending: PendingOperation[]
}

import { z } from "zod"

/**
 * The slice of Dintero's Checkout API this plugin uses, as zod schemas. Field names and enums follow
 * Dintero's payments OpenAPI spec (summarised in shared/reference/dintero-api.md). Response schemas are
 * loose objects: they insist on what we rely on and keep the rest, so Dintero can add fields freely.
 */

const minorAmount = z.number().int()
const currency = z.string().regex(/^[A-Z]{3}$/, "an ISO-4217 code in upper case")

// ── Requests ───────────────────────────────────────────────────────────────────────────────────────────

/**
 * A discount given on an order line (spec `DiscountItem`): the line's `amount` is already after it, this says
 * what was taken off and why. `discount_type` is Dintero's enum; a discount computed outside Dintero is `external`.
 */
export const discountItemSchema = z.object({
  amount: minorAmount.nonnegative(),
  percentage: z.number().min(0).max(100).optional(),
  discount_type: z.enum(["customer", "periodic", "manual", "loyalty", "total", "employee", "external"]).optional(),
  discount_id: z.string().min(1).optional(),
  description: z.string().optional(),
  line_id: z.number().int().optional(),
})
export type DiscountItem = z.infer<typeof discountItemSchema>

export const orderItemSchema = z.object({
  id: z.string().min(1).optional(),
  line_id: z.string().min(1),
  description: z.string().optional(),
  quantity: z.number().positive(),
  amount: minorAmount,
  vat_amount: minorAmount.optional(),
  vat: z.number().min(0).optional(),
  type: z.enum(["physical", "digital", "service", "gift_card", "shipping", "surcharge"]).optional(),
  thumbnail_url: z.string().optional(),
  /** Spec `OrderDiscountItem`: the discounts already taken off `amount`. */
  discount_lines: z.array(discountItemSchema).optional(),
})
export type OrderItem = z.infer<typeof orderItemSchema>

/** A pick-up point of a shipping option (spec `ShippingOption.pick_up_address`). */
export const pickUpAddressSchema = z.looseObject({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  business_name: z.string().optional(),
  address_line: z.string().optional(),
  postal_code: z.string().optional(),
  postal_place: z.string().optional(),
  country: z.string().optional(),
  distance: z.number().optional(),
})

export const shippingOptionSchema = z.object({
  id: z.string().min(1),
  line_id: z.string().min(1),
  amount: minorAmount,
  vat_amount: minorAmount.optional(),
  vat: z.number().min(0).optional(),
  title: z.string().min(1),
  operator: z.string(),
  description: z.string().optional(),
  /** Express: `delivery`, `pick_up`, `unspecified` or `none` (spec `ShippingOption.delivery_method`). */
  delivery_method: z.enum(["delivery", "pick_up", "unspecified", "none"]).optional(),
  operator_product_id: z.string().optional(),
  pick_up_address: pickUpAddressSchema.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
})
export type ShippingOption = z.infer<typeof shippingOptionSchema>

export const orderAddressSchema = z.object({
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  business_name: z.string().optional(),
  address_line: z.string().optional(),
  address_line_2: z.string().optional(),
  postal_code: z.string().optional(),
  postal_place: z.string().optional(),
  country: z.string().optional(),
  phone_number: z.string().optional(),
  email: z.string().optional(),
})

export const sessionOrderSchema = z.object({
  amount: minorAmount.nonnegative(),
  /** Express: the discount codes the shopper entered that the merchant accepted (spec `Order.discount_codes`). */
  discount_codes: z.array(z.string()).optional(),
  currency,
  merchant_reference: z.string().min(1),
  merchant_reference_2: z.string().optional(),
  vat_amount: minorAmount.optional(),
  items: z.array(orderItemSchema).optional(),
  shipping_option: shippingOptionSchema.optional(),
  shipping_address: orderAddressSchema.optional(),
  billing_address: orderAddressSchema.optional(),
})
export type SessionOrder = z.infer<typeof sessionOrderSchema>

/**
 * The order of a session update (spec `SessionOrderUpdate`): the session order without `merchant_reference`,
 * which is fixed when the session is created. Unknown keys are stripped, so a reference never reaches Dintero.
 */
export const sessionOrderUpdateSchema = sessionOrderSchema.omit({ merchant_reference: true })
export type SessionOrderUpdate = z.infer<typeof sessionOrderUpdateSchema>

/**
 * Body of PUT /v1/sessions/{id} (spec `UpdateSessionOptions`). `remove_lock` (default true) releases the lock the
 * payer's checkout takes (Web SDK lockSession) so the payer can go on paying the updated order.
 */
/**
 * Express checkout (spec `SessionExpress`, docs /docs/checkout/express): the shipping options the shopper picks
 * from, and the merchant's endpoints Dintero calls when the address or the discount codes change.
 */
export const sessionExpressSchema = z.object({
  shipping_options: z.array(shippingOptionSchema),
  shipping_mode: z.enum(["shipping_required", "shipping_not_required"]).optional(),
  shipping_address_callback_url: z.url().optional(),
  discount_codes: z.object({ max_count: z.number().int().min(0).optional(), callback_url: z.url() }).optional(),
  customer_types: z.array(z.enum(["b2c", "b2b"])).optional(),
})
export type SessionExpress = z.infer<typeof sessionExpressSchema>

export const updateSessionRequestSchema = z.object({
  order: sessionOrderUpdateSchema,
  express: sessionExpressSchema.omit({ shipping_address_callback_url: true, discount_codes: true, customer_types: true }).optional(),
  remove_lock: z.boolean(),
})
export type UpdateSessionRequest = z.infer<typeof updateSessionRequestSchema>

export const paymentProductTypeSchema = z.enum(["dintero_psp.creditcard", "payex.creditcard", "bambora.creditcard"])
export type CardPaymentProductType = z.infer<typeof paymentProductTypeSchema>

const customerTokensSchema = z.partialRecord(
  paymentProductTypeSchema,
  z.object({ payment_token: z.string().optional(), recurrence_token: z.string().optional() })
)

export const sessionCustomerSchema = z.object({
  customer_id: z.string().optional(),
  email: z.string().optional(),
  phone_number: z.string().regex(/^\+\d{6,15}$/, "E.123 format, e.g. +4799999999").optional(),
  tokens: customerTokensSchema.optional(),
})

const cardTokenConfigSchema = z.object({
  enabled: z.boolean().optional(),
  generate_payment_token: z.boolean().optional(),
  generate_recurrence_token: z.boolean().optional(),
})

export const sessionConfigurationSchema = z.object({
  auto_capture: z.boolean().optional(),
  channel: z.enum(["ecommerce", "in_app", "in_store"]).optional(),
  payex: z.object({ creditcard: cardTokenConfigSchema.optional() }).optional(),
  dintero_psp: z.object({ creditcard: cardTokenConfigSchema.optional() }).optional(),
  bambora: z.object({ creditcard: cardTokenConfigSchema.optional() }).optional(),
  /** Express discount codes need this on as well as `express.discount_codes` (docs /docs/checkout/checkout-express-discount-code). */
  discounts: z.object({ express_discount_codes: z.object({ enabled: z.boolean() }) }).optional(),
})

export const createSessionRequestSchema = z.object({
  profile_id: z.string().min(1),
  url: z.object({
    return_url: z.url(),
    callback_url: z.url().optional(),
    merchant_terms_url: z.url().optional(),
  }),
  order: sessionOrderSchema,
  customer: sessionCustomerSchema.optional(),
  configuration: sessionConfigurationSchema.optional(),
  expires_at: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  express: sessionExpressSchema.optional(),
})
export type CreateSessionRequest = z.infer<typeof createSessionRequestSchema>

/**
 * An order line of a capture or refund: which transaction line (`line_id`) and how much of it. Dintero
 * requires `line_id`, `quantity` and `amount` for Instabank (payments spec, transactions_id_capture_post).
 */
export const operationItemSchema = orderItemSchema.omit({ thumbnail_url: true, discount_lines: true })
export type OperationItem = z.infer<typeof operationItemSchema>

export const captureRequestSchema = z.object({
  amount: minorAmount.positive(),
  capture_reference: z.string().optional(),
  items: z.array(operationItemSchema).optional(),
  /** dintero_psp only: this capture is the last, the rest of the authorization is voided (payments spec). */
  final_capture: z.boolean().optional(),
})
export type CaptureRequest = z.infer<typeof captureRequestSchema>

export const refundRequestSchema = z.object({
  amount: minorAmount.positive(),
  reason: z.string().optional(),
  refund_reference: z.string().optional(),
  items: z.array(operationItemSchema).optional(),
})
export type RefundRequest = z.infer<typeof refundRequestSchema>

/**
 * POST /v1/sessions/payment-token (`checkout_payment_token_session_post`): a zero-amount session in which the
 * payer saves a card and nothing is reserved or charged. `session.order` has no amount and no lines
 * (`SessionPaymentToken`); `token_provider` names the card product and the token types it issues (payments
 * spec `PayExTokenProvider` payment/recurrence, `BamboraTokenProvider` and `DinteroPspCardTokenProvider`
 * payment_token only).
 */
export const paymentTokenSessionRequestSchema = z.object({
  session: z.object({
    order: z.object({
      currency: z.string().regex(/^[A-Z]{3}$/),
      merchant_reference: z.string().min(1),
      merchant_reference_2: z.string().min(1).optional(),
    }),
    url: z.object({ return_url: z.url(), callback_url: z.url().optional() }),
    profile_id: z.string().min(1).optional(),
    customer: sessionCustomerSchema.omit({ tokens: true }).optional(),
    expires_at: z.string().optional(),
  }),
  token_provider: z.object({
    payment_product_type: paymentProductTypeSchema,
    token_types: z.array(z.enum(["payment_token", "recurrence_token"])).min(1),
  }),
})
export type PaymentTokenSessionRequest = z.infer<typeof paymentTokenSessionRequestSchema>

export const sessionPayRequestSchema = z.object({
  session: z.object({
    url: z.object({ callback_url: z.url().optional() }).optional(),
    customer: sessionCustomerSchema,
    order: sessionOrderSchema,
    configuration: z.object({ auto_capture: z.boolean().optional() }).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
  payment: z.object({
    payment_product_type: paymentProductTypeSchema,
    operation: z.enum(["recurring_purchase", "unscheduled_purchase"]),
  }),
})
export type SessionPayRequest = z.infer<typeof sessionPayRequestSchema>

// ── Responses ──────────────────────────────────────────────────────────────────────────────────────────

export const accessTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
})

export const sessionCreatedSchema = z.looseObject({
  id: z.string().min(1),
  url: z.string().min(1),
})
export type SessionCreated = z.infer<typeof sessionCreatedSchema>

export const sessionSchema = z.looseObject({
  id: z.string(),
  transaction_id: z.string().nullish(),
  cancelled_at: z.string().nullish(),
  expires_at: z.string().nullish(),
  // A zero-amount token session's order has no amount (SessionPaymentToken: currency and references only).
  order: z
    .looseObject({ amount: minorAmount.optional(), currency: z.string(), merchant_reference: z.string(), merchant_reference_2: z.string().nullish() })
    .optional(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  events: z.array(z.looseObject({ name: z.string(), created_at: z.string().optional() })).nullish(),
})
export type Session = z.infer<typeof sessionSchema>

export const transactionStatusSchema = z.enum([
  "INITIATED",
  "AUTHORIZED",
  "AUTHORIZATION_VOIDED",
  "CAPTURED",
  "PARTIALLY_CAPTURED",
  "PARTIALLY_CAPTURED_REFUNDED",
  "REFUNDED",
  "PARTIALLY_REFUNDED",
  "DECLINED",
  "FAILED",
  "UNKNOWN",
  "ON_HOLD",
])
export type TransactionStatus = z.infer<typeof transactionStatusSchema>

export const retryCodeSchema = z.enum(["DO_NOT_RETRY", "RETRY_IMMEDIATELY", "RETRY_AFTER_DELAY"])

export const transactionErrorSchema = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  type: z.array(z.string()).optional(),
  retry_policy: z
    .looseObject({ retry_codes: z.array(z.string()).optional(), retry_after: z.union([z.string(), z.number()]).nullish() })
    .optional(),
})
export type TransactionError = z.infer<typeof transactionErrorSchema>

export const transactionEventSchema = z.looseObject({
  event: z.string(),
  success: z.boolean().optional(),
  amount: minorAmount.nullish(),
  transaction_status: z.string().optional(),
  event_reference: z.string().nullish(),
  request_id: z.string().nullish(),
  correlation_request_id: z.string().nullish(),
  // The lines a capture or refund applied to; read defensively where used (operation-items.ts).
  items: z.array(z.unknown()).nullish(),
  error: transactionErrorSchema.nullish(),
  created_at: z.string().optional(),
})
export type TransactionEvent = z.infer<typeof transactionEventSchema>

export const cardSchema = z.looseObject({
  brand: z.string().nullish(),
  masked_pan: z.string().nullish(),
  expiry_date: z.string().nullish(),
  type: z.string().nullish(),
  country: z.string().nullish(),
  payment_token: z.string().nullish(),
  payment_token_id: z.string().nullish(),
  recurrence_token: z.string().nullish(),
  recurrence_token_id: z.string().nullish(),
})
export type Card = z.infer<typeof cardSchema>

export const transactionSchema = z.looseObject({
  id: z.string().min(1),
  status: transactionStatusSchema,
  amount: minorAmount,
  currency: z.string(),
  session_id: z.string().nullish(),
  merchant_reference: z.string().nullish(),
  merchant_reference_2: z.string().nullish(),
  payment_product: z.string().nullish(),
  payment_product_type: z.string().nullish(),
  payment_operation: z.string().nullish(),
  // The order lines, the shipping option among them (docs /docs/checkout/after-payment).
  items: z.array(z.unknown()).nullish(),
  card: cardSchema.nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  events: z.array(transactionEventSchema).nullish(),
  created_at: z.string().optional(),
})
export type Transaction = z.infer<typeof transactionSchema>

export const transactionListSchema = z.array(transactionSchema)

export const sessionPayResultSchema = transactionSchema.extend({
  session_id: z.string().nullish(),
  success: z.boolean().optional(),
})
export type SessionPayResult = z.infer<typeof sessionPayResultSchema>

/**
 * A /v1/sessions/pay request Dintero refused (400, spec `Error & SessionPayResult`): the error beside
 * `success: false`, and the session id when a session was created. `error` is read with the transaction
 * error's fields, so a retry policy is kept if Dintero sends one.
 */
export const sessionPayRefusalSchema = z.looseObject({
  error: transactionErrorSchema,
  success: z.literal(false),
  session_id: z.string().nullish(),
  actions: z.array(z.looseObject({ source: z.string().nullish(), code: z.string().nullish(), type: z.string().nullish() })).nullish(),
})
export type SessionPayRefusal = z.infer<typeof sessionPayRefusalSchema>

/**
 * What a merchant-initiated charge comes back as: a transaction (200; a decline by the card's issuer is a
 * FAILED transaction, and a 400 that carries a transaction is read the same way), or Dintero's refusal of the
 * request (400 with the pay result).
 */
export type SessionPayAnswer =
  | { kind: "transaction"; transaction: SessionPayResult }
  | { kind: "refused"; refusal: SessionPayRefusal }

export const sessionPayAnsweredSchema = sessionPayResultSchema.transform(
  (transaction): SessionPayAnswer => ({ kind: "transaction", transaction })
)
export const sessionPayRefusedSchema = z.union([
  sessionPayAnsweredSchema,
  sessionPayRefusalSchema.transform((refusal): SessionPayAnswer => ({ kind: "refused", refusal })),
])

export const errorBodySchema = z.looseObject({
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }),
})

/**
 * What each Dintero payment product allows after payment: the one table the emulator's checkout and
 * operations read. Written from Dintero's documentation, not from any client:
 * - payments spec (docs.dintero.com/specs/spec-payments.yaml, as generated into Dintero.Node.SDK
 *   `src/generated/payments.d.ts`): the `payment_product` / `payment_product_type` enums of Transaction;
 *   "`items` is required when capturing [refunding] a transaction with `payment_product=instabank`. The
 *   items must include the lines to capture, with `line_id`, `quantity` and `amount`"; OrderItem.line_id
 *   "`required` when Instabank payment is configured" and SessionOrder.items "`required` if Collector Bank
 *   payment is configured"; `final_capture` on capture for `dintero_psp` only; "Void on part capture is only
 *   supported on" payex.creditcard, payex.mobilepay, payex.vipps, payex.applepay, payex.clicktopay,
 *   payex.googlepay, vipps, klarna.klarna, klarna.billie; CollectorConfiguration.invoice.options
 *   `enable_on_hold` ("Create the collector transaction with status ON_HOLD and let the Collector callback
 *   update the transaction state from ON_HOLD to AUTHORIZED or FAILED"), and `enable_on_hold` of card
 *   payment options.
 * - docs /docs/checkout/transaction-management: "The API allows for both a full amount capture and a partial
 *   amount capture … Partial capture may be called as many times as required"; "A transaction can only be
 *   voided if it has not been captured."
 * - Swish is a one-phase (sale) payment: money moves when the payer approves, so Dintero's transaction is
 *   CAPTURED right away and there is no authorization to capture or void; it is returned with a refund.
 *   Dintero's WooCommerce plugin: "Dintero will capture the order immediately for some payment methods
 *   (e.g., Swish)", and on cancel "If the payment method is Swish, we need to refund instead of cancel".
 *
 * Nothing in Dintero's documentation forbids a partial capture for a product that can be captured at all;
 * `partialCapture` is false only where there is no capture (Swish). The column exists so a product whose
 * documentation says otherwise is one line here.
 */

export interface PaymentProductRules {
  /** `payment_product` of the transaction. */
  product: string
  /** What a payer sees on the checkout page. */
  label: string
  /** Pays with a card (test card numbers, tokens). */
  card: boolean
  /** One-phase: the transaction is CAPTURED when paid; capture and void do not exist. */
  capturedAtPayment: boolean
  /** More than one capture, each of part of the amount. */
  partialCapture: boolean
  /** Capture and refund must carry `items` naming the transaction's lines by `line_id`. */
  itemsRequired: boolean
  /** An authorization nothing was captured from can be voided. */
  voidable: boolean
  /** A void after a part-capture releases the uncaptured rest. */
  voidAfterPartCapture: boolean
  /** `final_capture: true` on a capture releases the rest. */
  finalCapture: boolean
  /** The payment can be held for manual review (ON_HOLD, later AUTHORIZED or FAILED). */
  onHold: boolean
}

const CARD = { card: true, capturedAtPayment: false, partialCapture: true, itemsRequired: false, voidable: true, finalCapture: false, onHold: true }
const WALLET = { card: false, capturedAtPayment: false, partialCapture: true, itemsRequired: false, voidable: true, finalCapture: false, onHold: false }

export const PAYMENT_PRODUCTS = {
  "dintero_psp.creditcard": { ...CARD, product: "dintero_psp", label: "Card", voidAfterPartCapture: false, finalCapture: true },
  "payex.creditcard": { ...CARD, product: "payex", label: "Card (Swedbank Pay)", voidAfterPartCapture: true },
  "bambora.creditcard": { ...CARD, product: "bambora", label: "Card (Bambora)", voidAfterPartCapture: false },
  vipps: { ...WALLET, product: "vipps", label: "Vipps", voidAfterPartCapture: true },
  "swish.swish": {
    ...WALLET,
    product: "swish",
    label: "Swish",
    capturedAtPayment: true,
    partialCapture: false,
    voidable: false,
    voidAfterPartCapture: false,
  },
  "collector.invoice": { ...WALLET, product: "collector", label: "Walley invoice", itemsRequired: true, voidAfterPartCapture: false, onHold: true },
  "instabank.invoice": { ...WALLET, product: "instabank", label: "Instabank invoice", itemsRequired: true, voidAfterPartCapture: false },
  "klarna.klarna": { ...WALLET, product: "klarna", label: "Klarna", voidAfterPartCapture: true },
  // Not offered on the emulator's page; listed for the documented void-after-part-capture rule.
  "payex.mobilepay": { ...WALLET, product: "payex", label: "MobilePay (Swedbank Pay)", voidAfterPartCapture: true },
  "payex.vipps": { ...WALLET, product: "payex", label: "Vipps (Swedbank Pay)", voidAfterPartCapture: true },
  "payex.applepay": { ...WALLET, product: "payex", label: "Apple Pay (Swedbank Pay)", voidAfterPartCapture: true },
  "payex.clicktopay": { ...WALLET, product: "payex", label: "Click to Pay (Swedbank Pay)", voidAfterPartCapture: true },
  "payex.googlepay": { ...WALLET, product: "payex", label: "Google Pay (Swedbank Pay)", voidAfterPartCapture: true },
  "klarna.billie": { ...WALLET, product: "klarna", label: "Billie", voidAfterPartCapture: true },
} satisfies Record<string, PaymentProductRules>

export type PaymentProductType = keyof typeof PAYMENT_PRODUCTS

/** What the hosted page offers besides the account's card product. */
export const CHECKOUT_METHODS: PaymentProductType[] = ["vipps", "swish.swish", "collector.invoice", "instabank.invoice", "klarna.klarna"]

export const isPaymentProductType = (value: unknown): value is PaymentProductType =>
  typeof value === "string" && Object.prototype.hasOwnProperty.call(PAYMENT_PRODUCTS, value)

export function rulesOf(productType: string): PaymentProductRules {
  if (!isPaymentProductType(productType)) throw new Error(`No rules for payment product type ${productType}`)
  return PAYMENT_PRODUCTS[productType]
}

/** The products whose rest can be voided after a part-capture (payments spec, void operation). */
export const VOID_AFTER_PART_CAPTURE = (Object.keys(PAYMENT_PRODUCTS) as PaymentProductType[]).filter(
  (type) => PAYMENT_PRODUCTS[type].voidAfterPartCapture
)

/** What the payer chooses on the page for a method that is not a card. */
export type MethodOutcome = "approve" | "decline" | "on_hold"

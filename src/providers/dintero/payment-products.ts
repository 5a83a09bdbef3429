/**
 * What the plugin may ask Dintero for after payment, per payment product (`payment_product_type` of the
 * transaction). The plugin's own reading of Dintero's documentation (the emulator keeps its own):
 * - payments spec (Dintero.Node.SDK `src/generated/payments.d.ts`): capture and refund `items` "required if
 *   the transaction payment_product is instabank", OrderItem.line_id "required when Instabank payment is
 *   configured", session items "required if Collector Bank payment is configured"; `final_capture` for
 *   dintero_psp; "Void on part capture is only supported on" the types marked `voidAfterPartCapture` below.
 * - docs /docs/checkout/transaction-management: partial captures "may be called as many times as required";
 *   "A transaction can only be voided if it has not been captured."
 * - Swish moves the money when the payer approves: the transaction is CAPTURED at payment, and a cancel is a
 *   refund (Dintero's WooCommerce plugin: "If the payment method is Swish, we need to refund instead of cancel
 *   the order in Dintero").
 * A product not listed is treated as a card: capture in parts, void before capture, nothing more.
 */

export type PaymentProductCapabilities = {
  /** What a merchant calls the method ("Vipps", "Walley invoice"). */
  label: string
  /** CAPTURED when paid (Swish): nothing to capture, nothing to void. */
  capturedAtPayment: boolean
  /** A capture of part of what is left. */
  partialCapture: boolean
  /** Capture and refund must name the order lines (`items` with `line_id`). */
  itemsRequired: boolean
  /** An authorization can be released with a void; otherwise a cancel refunds what was captured. */
  voidable: boolean
  /** A void after a part-capture releases the uncaptured rest. */
  voidAfterPartCapture: boolean
  /** `final_capture` on a capture releases the rest. */
  finalCapture: boolean
}

const CARD: PaymentProductCapabilities = {
  label: "Card",
  capturedAtPayment: false,
  partialCapture: true,
  itemsRequired: false,
  voidable: true,
  voidAfterPartCapture: false,
  finalCapture: false,
}

const PRODUCTS: Record<string, PaymentProductCapabilities> = {
  "dintero_psp.creditcard": { ...CARD, finalCapture: true },
  "payex.creditcard": { ...CARD, voidAfterPartCapture: true },
  "bambora.creditcard": CARD,
  vipps: { ...CARD, label: "Vipps", voidAfterPartCapture: true },
  "swish.swish": { ...CARD, label: "Swish", capturedAtPayment: true, partialCapture: false, voidable: false },
  "collector.invoice": { ...CARD, label: "Walley invoice", itemsRequired: true },
  "instabank.invoice": { ...CARD, label: "Instabank invoice", itemsRequired: true },
  "klarna.klarna": { ...CARD, label: "Klarna", voidAfterPartCapture: true },
  "payex.mobilepay": { ...CARD, label: "MobilePay", voidAfterPartCapture: true },
  "payex.vipps": { ...CARD, label: "Vipps", voidAfterPartCapture: true },
  "payex.applepay": { ...CARD, label: "Apple Pay", voidAfterPartCapture: true },
  "payex.clicktopay": { ...CARD, label: "Click to Pay", voidAfterPartCapture: true },
  "payex.googlepay": { ...CARD, label: "Google Pay", voidAfterPartCapture: true },
  "klarna.billie": { ...CARD, label: "Billie", voidAfterPartCapture: true },
}

/** The capabilities of a payment product type; a card's for one not listed (final_capture for any dintero_psp one). */
export function capabilitiesOf(productType: string | null | undefined): PaymentProductCapabilities {
  if (productType && Object.prototype.hasOwnProperty.call(PRODUCTS, productType)) {
    return PRODUCTS[productType]
  }
  return { ...CARD, finalCapture: Boolean(productType?.startsWith("dintero_psp.")) }
}

/** "Vipps", "Swish", "Walley invoice", …; for a product not listed, its type as Dintero names it. */
export function paymentMethodLabel(productType: string | null | undefined): string | undefined {
  if (!productType) {
    return undefined
  }
  return Object.prototype.hasOwnProperty.call(PRODUCTS, productType) ? PRODUCTS[productType].label : productType
}

/** The product types whose rest can be voided after a part-capture. */
export const VOID_AFTER_PART_CAPTURE = new Set(Object.keys(PRODUCTS).filter((type) => PRODUCTS[type].voidAfterPartCapture))

/**
 * Why a capture of `amount` out of `remaining` (minor units) may not be sent for this product, or undefined.
 * Only products that capture but not in parts are refused; none of Dintero's documented products does that
 * today, so the rule stays dormant until one is listed so.
 */
export function partialCaptureRefusal(productType: string | null | undefined, amount: number, remaining: number): string | undefined {
  const product = capabilitiesOf(productType)
  if (product.partialCapture || amount >= remaining) {
    return undefined
  }
  return `${product.label} payments (${productType}) cannot be captured in part: capture the whole of what is left. Nothing was sent to Dintero.`
}

import type { Transaction } from "../../lib/dintero"
import { movedByDintero } from "./money-reconciliation"
import { capabilitiesOf, VOID_AFTER_PART_CAPTURE } from "./payment-products"

export { VOID_AFTER_PART_CAPTURE }

/**
 * Releasing the uncaptured rest of an authorization after a part-capture (docs /docs/checkout/after-payment,
 * reference §5 "Operations"): "Void after a part-capture releases the uncaptured remainder. Supported only
 * for" the products marked so in payment-products.ts. Dintero PSP releases the rest only through `final_capture` on a capture, which
 * needs an amount to capture: with nothing more to capture there is no Dintero call that releases the rest,
 * and it stays reserved until the authorization expires.
 */

export type ReleasePlan =
  | { action: "none"; uncaptured: 0 }
  | { action: "void"; uncaptured: number }
  | { action: "refused"; uncaptured: number; reason: string }

/** Minor units a void released after a part-capture (VOID events). */
function released(transaction: Transaction): number {
  return (transaction.events ?? [])
    .filter((event) => event.event === "VOID" && event.success !== false)
    .reduce((sum, event) => sum + (event.amount ?? 0), 0)
}

/**
 * What releasing the rest of a part-captured transaction takes. Only for transactions with a capture: an
 * authorization nothing was captured from is voided whole. Captures under way count as captured, so a void
 * never races money being moved.
 */
export function releasePlan(transaction: Transaction): ReleasePlan {
  if (transaction.status === "AUTHORIZATION_VOIDED") {
    return { action: "none", uncaptured: 0 }
  }
  const uncaptured = transaction.amount - movedByDintero(transaction, "CAPTURE") - released(transaction)
  if (uncaptured <= 0) {
    return { action: "none", uncaptured: 0 }
  }
  const product = transaction.payment_product_type ?? "unknown"
  if (capabilitiesOf(product).voidAfterPartCapture) {
    return { action: "void", uncaptured }
  }
  return {
    action: "refused",
    uncaptured,
    reason:
      `Dintero cannot release the uncaptured ${uncaptured} minor units of transaction ${transaction.id}: ` +
      `${product} does not support a void after a partial capture (only ${[...VOID_AFTER_PART_CAPTURE].join(", ")} do). ` +
      (product.startsWith("dintero_psp")
        ? "With Dintero PSP the rest is released by marking the last capture final (final_capture), or when the authorization expires."
        : "The rest is released when the authorization expires."),
  }
}

/**
 * How a capture marked final releases the rest: `final_capture` on the capture for Dintero PSP (the only
 * product the payments spec gives it to), a void after the capture where the product allows one, and
 * otherwise not at all: then the capture is refused before anything is sent.
 */
export function finalCaptureMethod(
  transaction: Transaction
): { method: "final_capture" } | { method: "void" } | { method: "refused"; reason: string } {
  const product = transaction.payment_product_type ?? "unknown"
  if (capabilitiesOf(product).finalCapture) {
    return { method: "final_capture" }
  }
  if (capabilitiesOf(product).voidAfterPartCapture) {
    return { method: "void" }
  }
  return {
    method: "refused",
    reason:
      `A final capture cannot release the rest of transaction ${transaction.id}: ${product} has neither final_capture ` +
      `(Dintero PSP only) nor a void after a partial capture. Capture without final; the rest is released when the authorization expires.`,
  }
}

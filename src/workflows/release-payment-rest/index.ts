import { createWorkflow, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { capturePaymentWorkflow } from "@medusajs/medusa/core-flows"
import { readDinteroPaymentStep, requestFinalCaptureStep } from "./steps/request-final-capture"
import { findPartCapturedOrderPaymentsStep, findReleasablePaymentStep } from "./steps/find-part-captured-payments"
import { releaseCanceledOrderPaymentsStep, releasePaymentRestStep } from "./steps/release-payment-rest"
import { findDinteroPaymentStep } from "../read-dintero-payment/steps/find-dintero-payment"
import { validateCaptureAmountStep } from "./steps/validate-capture-amount"

/** An admin releases the uncaptured rest of a part-captured Dintero payment; answers its Dintero state. */
export const releaseDinteroPaymentRestWorkflow = createWorkflow(
  "release-dintero-payment-rest",
  (input: { payment_id: string }) => {
    const paymentId = findReleasablePaymentStep(input)
    return new WorkflowResponse(releasePaymentRestStep({ payment_id: paymentId }))
  }
)

/** A canceled order's part-captured Dintero payments give back what they still hold at Dintero. */
export const releaseCanceledOrderPaymentsWorkflow = createWorkflow(
  "release-dintero-payments-of-canceled-order",
  (input: { order_id: string }) => {
    const paymentIds = findPartCapturedOrderPaymentsStep(input)
    return new WorkflowResponse(releaseCanceledOrderPaymentsStep({ payment_ids: paymentIds }))
  }
)

/**
 * An admin captures part or all of a Dintero payment through Medusa's own capturePaymentWorkflow (Medusa's
 * capture record stays the source of truth the provider reconciles against); with `final`, that capture
 * also releases the rest of the authorization (final_capture, or a void where the product has none).
 */
export const captureDinteroPaymentWorkflow = createWorkflow(
  "capture-dintero-payment",
  (input: { payment_id: string; amount: number; final: boolean; captured_by?: string }) => {
    const payment = findDinteroPaymentStep({ payment_id: input.payment_id })
    validateCaptureAmountStep({ payment, amount: input.amount })
    when({ input }, ({ input }) => input.final).then(() => {
      requestFinalCaptureStep({ payment_id: input.payment_id, amount: input.amount })
    })
    capturePaymentWorkflow.runAsStep({
      input: { payment_id: input.payment_id, amount: input.amount, captured_by: input.captured_by },
    })
    return new WorkflowResponse(readDinteroPaymentStep({ payment_id: input.payment_id }))
  }
)

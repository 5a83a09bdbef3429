import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { findPartCapturedOrderPaymentsStep, findReleasablePaymentStep } from "./steps/find-part-captured-payments"
import { releaseCanceledOrderPaymentsStep, releasePaymentRestStep } from "./steps/release-payment-rest"

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

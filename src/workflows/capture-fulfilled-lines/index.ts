import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, capturePaymentWorkflow, releaseLockStep } from "@medusajs/medusa/core-flows"
import { fulfilledUncapturedAmountStep } from "./steps/fulfilled-uncaptured-amount"

/**
 * A fulfilment captures what it shipped (provider option `captureOnFulfillment`): the fulfilled lines not
 * yet captured, through Medusa's capturePaymentWorkflow so Medusa records the capture; the provider sees
 * that the amount is exactly those lines and sends them as the capture's items (targeted-items.ts).
 *
 * One order at a time: the amount is read and captured under the order's lock, so fulfilments created at
 * the same moment (or one event delivered twice) capture each line once. The lock is released when the
 * workflow fails too (acquireLockStep's compensation).
 */
export const captureFulfilledLinesWorkflow = createWorkflow(
  "dintero-capture-fulfilled-lines",
  (input: { order_id: string }) => {
    const key = transform({ input }, ({ input }) => `dintero-fulfilment-capture:${input.order_id}`)
    acquireLockStep({ key, timeout: 30, ttl: 120 })
    const capture = fulfilledUncapturedAmountStep({ order_id: input.order_id })
    when({ capture }, ({ capture }) => !!capture).then(() => {
      capturePaymentWorkflow.runAsStep({
        input: transform({ capture }, ({ capture }) => ({ payment_id: capture!.payment_id, amount: capture!.amount })),
      })
    })
    releaseLockStep({ key })
    return new WorkflowResponse(capture)
  }
)

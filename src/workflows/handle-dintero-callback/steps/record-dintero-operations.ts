import { capturePaymentWorkflowId, refundPaymentWorkflowId } from "@medusajs/medusa/core-flows"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { IPaymentModuleService, Logger } from "@medusajs/framework/types"
import { fromMinorUnits } from "../../../lib/dintero"
import { RECORDED_FROM_DINTERO } from "../../../providers/dintero/money-reconciliation"
import type { OperationRecordsPlan } from "../operation-records"

/**
 * Records what was done in Dintero's Backoffice the way Medusa records its own operations: Medusa's
 * capturePaymentWorkflow and refundPaymentWorkflow (the order's transactions, refund credit lines and events
 * follow as for an admin's capture or refund) and the payment module's cancelPayment. They reach the provider,
 * which recognises the records by their `created_by` (RECORDED_FROM_DINTERO) and adopts them without sending
 * anything to Dintero (service.ts adoptMadeInDintero); a voided transaction is never voided again (cancelPayment).
 *
 * Each runs as its own workflow, as Medusa's payment-webhook subscriber runs processPaymentWorkflow: a capture
 * or refund recorded stays recorded whatever happens after it (Medusa does not compensate them either), and a
 * later failure makes Dintero call again, when the plan, computed from totals, finds only what is still missing.
 */

export const recordDinteroCaptureStep = createStep(
  "record-dintero-backoffice-capture",
  async (plan: OperationRecordsPlan, { container }) => {
    if (plan.capture <= 0) {
      return new StepResponse(0)
    }
    const workflowEngine = container.resolve(Modules.WORKFLOW_ENGINE)
    await workflowEngine.run(capturePaymentWorkflowId, {
      input: { payment_id: plan.payment_id, amount: fromMinorUnits(plan.capture, plan.currency), captured_by: RECORDED_FROM_DINTERO },
      throwOnError: true,
    })
    logger(container).info(
      `Dintero: recorded a capture of ${fromMinorUnits(plan.capture, plan.currency)} ${plan.currency} made in Dintero's Backoffice on payment ${plan.payment_id} (transaction ${plan.transaction_id}).`
    )
    return new StepResponse(plan.capture)
  }
)

export const recordDinteroRefundStep = createStep(
  "record-dintero-backoffice-refund",
  async (plan: OperationRecordsPlan, { container }) => {
    if (plan.refund <= 0) {
      return new StepResponse(0)
    }
    const input = {
      payment_id: plan.payment_id,
      amount: fromMinorUnits(plan.refund, plan.currency),
      created_by: RECORDED_FROM_DINTERO,
      note: `Refunded in Dintero's Backoffice (transaction ${plan.transaction_id})`,
    }
    if (plan.has_order) {
      await container.resolve(Modules.WORKFLOW_ENGINE).run(refundPaymentWorkflowId, { input, throwOnError: true })
    } else {
      // refundPaymentWorkflow needs an order; a payment without one is refunded on the module, as it would do.
      await container.resolve<IPaymentModuleService>(Modules.PAYMENT).refundPayment(input)
    }
    logger(container).info(
      `Dintero: recorded a refund of ${input.amount} ${plan.currency} made in Dintero's Backoffice on payment ${plan.payment_id} (transaction ${plan.transaction_id}).`
    )
    return new StepResponse(plan.refund)
  }
)

export const recordDinteroCancellationStep = createStep(
  "record-dintero-backoffice-void",
  async (plan: OperationRecordsPlan, { container }) => {
    for (const reason of plan.waiting) {
      logger(container).warn(`Dintero: transaction ${plan.transaction_id} shows ${reason}; payment ${plan.payment_id} does not record it.`)
    }
    if (!plan.cancel) {
      return new StepResponse(false)
    }
    await container.resolve<IPaymentModuleService>(Modules.PAYMENT).cancelPayment(plan.payment_id)
    logger(container).info(
      `Dintero: transaction ${plan.transaction_id} was voided in Dintero; payment ${plan.payment_id} is canceled in Medusa (nothing sent to Dintero).`
    )
    return new StepResponse(true)
  }
)

function logger(container: { resolve<T>(key: string): T }): Logger {
  return container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
}

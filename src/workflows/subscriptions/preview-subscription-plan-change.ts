import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { loadSubscriptionStep } from "./steps/load-subscription"
import type { PlanChange } from "./steps/plan-proration"
import { previewPlanChangeStep } from "./steps/preview-plan-change"

export const previewSubscriptionPlanChangeWorkflowId = "preview-subscription-plan-change"

/** The dry run of changeSubscriptionPlanWorkflow: the same input, the proration it would charge, no change. */
export const previewSubscriptionPlanChangeWorkflow = createWorkflow(
  previewSubscriptionPlanChangeWorkflowId,
  (input: PlanChange & { id: string }) => {
    const subscription = loadSubscriptionStep(transform({ input }, ({ input }) => ({ id: input.id })))
    const change = transform({ input }, ({ input }): PlanChange => ({
      items: input.items,
      interval: input.interval,
      interval_count: input.interval_count,
      prorate: input.prorate,
      now: input.now,
    }))
    return new WorkflowResponse(previewPlanChangeStep({ subscription, change }))
  }
)

import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { summarizeSubscriptionsStep } from "./steps/summarize-subscriptions"

export const subscriptionOverviewWorkflowId = "subscription-overview"

/** Counts by status and monthly recurring revenue per currency; reads only. */
export const subscriptionOverviewWorkflow = createWorkflow(subscriptionOverviewWorkflowId, (input: { now?: string }) => {
  return new WorkflowResponse(summarizeSubscriptionsStep(input))
})

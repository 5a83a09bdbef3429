import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { prepareEventNoticeStep, type NoticeEvent } from "./steps/prepare-event-notice"
import { sendSubscriptionNoticesStep } from "./steps/send-subscription-notices"

export const notifySubscriptionEventWorkflowId = "notify-dintero-subscription-event"

/** The customer's notice for one subscription event (src/subscribers/notify-subscription-*), sent once. */
export const notifySubscriptionEventWorkflow = createWorkflow(notifySubscriptionEventWorkflowId, (event: NoticeEvent) => {
  const notices = prepareEventNoticeStep(event)
  return new WorkflowResponse(sendSubscriptionNoticesStep(notices))
})

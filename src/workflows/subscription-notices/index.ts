export { notifySubscriptionEventWorkflow, notifySubscriptionEventWorkflowId } from "./notify-subscription-event"
export {
  sendScheduledNoticesWorkflow,
  sendScheduledNoticesWorkflowId,
  sendScheduledSubscriptionNotices,
  NOTICES_RUN_LOCK_KEY,
  type ScheduledNoticesReport,
} from "./send-scheduled-notices"
export { cardUpdateLinkForNotice } from "./card-update-link"
export type { NoticeKind, SubscriptionNotice } from "./notices"
export type { NoticeEvent } from "./steps/prepare-event-notice"

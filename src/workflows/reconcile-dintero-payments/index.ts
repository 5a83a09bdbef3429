export { reconcileDinteroPayments, RUN_LOCK_KEY, type ReconciliationRunInput, type ReconciliationRunReport } from "./run"
export { reconcileDinteroSessionWorkflow, reconcileDinteroSessionWorkflowId, transactionLockKey } from "./reconcile-session"

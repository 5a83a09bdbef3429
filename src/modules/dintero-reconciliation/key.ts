/** The container key of the reconciliation's records (findings and runs). */
export const DINTERO_RECONCILIATION_MODULE = "dinteroReconciliation"

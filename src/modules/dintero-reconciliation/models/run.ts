import { model } from "@medusajs/framework/utils"

/**
 * One reconciliation run: what it looked at and did, and where the next run continues (`cursor`: the last
 * payment session it read, so that a bounded run never looks at the same oldest sessions forever).
 */
const DinteroReconciliationRun = model.define("dintero_reconciliation_run", {
  id: model.id({ prefix: "drrun" }).primaryKey(),
  /** job | admin */
  trigger: model.text(),
  started_at: model.dateTime(),
  finished_at: model.dateTime().nullable(),
  sessions: model.number().default(0),
  completed: model.number().default(0),
  orphans: model.number().default(0),
  voided: model.number().default(0),
  errors: model.number().default(0),
  /** `<created_at ISO>|<payment session id>` of the last session read; null when the run reached the end. */
  cursor: model.text().nullable(),
})

export default DinteroReconciliationRun

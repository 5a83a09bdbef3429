import { model } from "@medusajs/framework/utils"

/**
 * What a reconciliation run found about one Dintero transaction of a Medusa payment session that stayed
 * pending: completed (its cart completed as the lost callback would have), an orphan (authorized at Dintero
 * with no Medusa order: reported, and voided once `void_after` has passed), voided, or an error to look at.
 * One row per transaction, updated by each run that sees it again.
 */
const DinteroReconciliationFinding = model
  .define("dintero_reconciliation_finding", {
    id: model.id({ prefix: "dreco" }).primaryKey(),
    transaction_id: model.text(),
    provider_id: model.text(),
    payment_session_id: model.text(),
    dintero_session_id: model.text(),
    cart_id: model.text().nullable(),
    order_id: model.text().nullable(),
    /** completed | orphan | voided | error */
    kind: model.text(),
    /** Why, in words a merchant understands. */
    reason: model.text(),
    transaction_status: model.text(),
    /** Minor units. */
    amount: model.number(),
    currency_code: model.text(),
    authorized_at: model.dateTime().nullable(),
    /** When an orphan is voided if nothing in Medusa claims it by then. */
    void_after: model.dateTime().nullable(),
    voided_at: model.dateTime().nullable(),
    last_seen_at: model.dateTime(),
  })
  .indexes([{ on: ["transaction_id"], unique: true }, { on: ["kind"] }])

export default DinteroReconciliationFinding

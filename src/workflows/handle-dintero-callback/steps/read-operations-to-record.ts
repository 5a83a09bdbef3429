import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { toExactMinorUnits, toMinorUnits } from "../../../lib/dintero"
import type { DinteroMoneyFacts } from "../../../providers/dintero/operation-facts"
import { RECORDED_FROM_DINTERO } from "../../../providers/dintero/money-reconciliation"
import { planOperationRecords, type MedusaMoneyRecords } from "../operation-records"
import { readDinteroCallback, type DinteroCallbackInput } from "./resolve-callback-action"

type AmountRow = { amount?: unknown; raw_amount?: unknown; created_by?: string | null }

/**
 * Under the callback's lock, reads the transaction from Dintero again (the provider, as for any callback:
 * signature, then Dintero's own answer; nothing of the callback's query or body is taken as fact) and
 * Medusa's records of the payment, and works out what Medusa has to record (operation-records.ts).
 */
export const readOperationsToRecordStep = createStep(
  "read-dintero-operations-to-record",
  async (input: { callback: DinteroCallbackInput; payment_id: string }, { container }) => {
    const result = await readDinteroCallback(container, input.callback)
    const facts = (result.data as { dintero?: DinteroMoneyFacts } | undefined)?.dintero
    if (!facts) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Dintero did not describe the transaction of payment ${input.payment_id} on a second read`)
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: payments } = await query.graph({
      entity: "payment",
      fields: [
        "id",
        "currency_code",
        "canceled_at",
        "payment_collection_id",
        "captures.amount",
        "captures.raw_amount",
        "captures.created_by",
        "refunds.amount",
        "refunds.raw_amount",
        "refunds.created_by",
      ],
      filters: { id: input.payment_id },
    })
    const payment = payments[0]
    if (!payment) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Payment ${input.payment_id} is gone; Dintero will call again`)
    }
    const { data: orders } = await query.graph({
      entity: "order_payment_collection",
      fields: ["order_id"],
      filters: { payment_collection_id: payment.payment_collection_id },
    })
    const currency = String(payment.currency_code).toUpperCase()
    const minor = (rows: AmountRow[], onlyFromDintero = false) =>
      rows.filter((row) => !onlyFromDintero || row.created_by === RECORDED_FROM_DINTERO).reduce((sum, row) => sum + minorUnits(row, currency), 0)
    const captures = (payment.captures ?? []) as AmountRow[]
    const refunds = (payment.refunds ?? []) as AmountRow[]
    const medusa: MedusaMoneyRecords = {
      payment_id: payment.id,
      currency,
      canceled: Boolean(payment.canceled_at),
      has_order: orders.length > 0,
      captured: minor(captures),
      refunded: minor(refunds),
      captured_from_dintero: minor(captures, true),
      refunded_from_dintero: minor(refunds, true),
    }
    return new StepResponse(planOperationRecords(facts, medusa))
  }
)

/** A record's amount in minor units; an old record that is not a whole number of them counts as Dintero rounded it. */
function minorUnits(row: AmountRow, currency: string): number {
  const decimal = MathBN.convert((row.raw_amount ?? row.amount) as any).toFixed()
  return toExactMinorUnits(decimal, currency) ?? toMinorUnits(decimal, currency)
}

import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { toMinorUnits } from "../../../lib/dintero"

/** Medusa's side of a Dintero payment, money in minor units like Dintero's. */
export type MedusaPaymentRecord = {
  id: string
  provider_id: string
  currency_code: string
  transaction_id: string | null
  amount: number
  captured: number
  refunded: number
  captured_at: unknown
  canceled_at: unknown
}

type PaymentRow = {
  id: string
  provider_id: string
  currency_code: string
  amount: unknown
  data?: { dintero?: { transaction_id?: unknown } } | null
  captured_at?: unknown
  canceled_at?: unknown
  captures?: Array<{ amount: unknown } | null> | null
  refunds?: Array<{ amount: unknown } | null> | null
}

// Medusa's query answers BigNumber amounts as numbers; toMinorUnits takes their exact decimal text.
const minor = (amount: unknown, currency: string) => toMinorUnits(String(amount ?? 0), currency)

/** The payment the admin asks about: a Dintero payment Medusa knows, or a 404. */
export const findDinteroPaymentStep = createStep(
  "find-dintero-payment-for-admin",
  async (input: { payment_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "payment",
      fields: ["id", "provider_id", "currency_code", "amount", "data", "captured_at", "canceled_at", "captures.amount", "refunds.amount"],
      filters: { id: input.payment_id },
    })
    const payment = data[0] as PaymentRow | undefined
    if (!payment || !payment.provider_id.startsWith("pp_dintero_")) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Dintero payment ${input.payment_id} was not found.`)
    }
    const currency = payment.currency_code.toUpperCase()
    const total = (rows: PaymentRow["captures"]) => (rows ?? []).reduce((sum, row) => sum + minor(row?.amount, currency), 0)
    const transactionId = payment.data?.dintero?.transaction_id
    const record: MedusaPaymentRecord = {
      id: payment.id,
      provider_id: payment.provider_id,
      currency_code: payment.currency_code,
      transaction_id: typeof transactionId === "string" && transactionId ? transactionId : null,
      amount: minor(payment.amount, currency),
      captured: total(payment.captures),
      refunded: total(payment.refunds),
      captured_at: payment.captured_at ?? null,
      canceled_at: payment.canceled_at ?? null,
    }
    return new StepResponse(record)
  }
)

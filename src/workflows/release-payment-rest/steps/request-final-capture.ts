import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { toExactMinorUnits } from "../../../lib/dintero"

/**
 * Tells the provider that the capture about to be made is the last one: Medusa's capture passes the
 * payment's `data` to the provider but no options of its own (payment module capturePayment), so the
 * request is kept in that data, with the amount it is for, and the capture that uses it drops it. A
 * failed capture compensates this step, putting the data back as it was.
 */
export const requestFinalCaptureStep = createStep(
  "request-dintero-final-capture",
  async (input: { payment_id: string; amount: number }, { container }) => {
    const paymentModule = container.resolve(Modules.PAYMENT)
    const payment = await paymentModule.retrievePayment(input.payment_id, { select: ["id", "data", "currency_code", "provider_id"] })
    const dintero = payment.data?.dintero as Record<string, unknown> | undefined
    if (!payment.provider_id.startsWith("pp_dintero_") || !dintero) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Dintero payment ${input.payment_id} was not found.`)
    }
    const minor = toExactMinorUnits(input.amount, payment.currency_code.toUpperCase())
    if (minor === undefined || minor <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `amount ${input.amount} is not a positive amount in ${payment.currency_code}.`)
    }
    const previous = payment.data ?? {}
    await paymentModule.updatePayment({
      id: payment.id,
      data: { ...previous, dintero: { ...dintero, final_capture_requested: { amount: minor } } },
    } as any)
    return new StepResponse(undefined, { id: payment.id, data: previous })
  },
  async (before, { container }) => {
    if (!before) return
    const paymentModule = container.resolve(Modules.PAYMENT)
    const current = await paymentModule.retrievePayment(before.id, { select: ["id", "data"] })
    // null, not a missing key: Medusa merges a payment's data on update.
    const dintero = { ...((current.data?.dintero as Record<string, unknown>) ?? {}), final_capture_requested: null }
    await paymentModule.updatePayment({ id: before.id, data: { ...(current.data ?? {}), dintero } } as any)
  }
)

/** The payment's Dintero state as Medusa holds it after an operation. */
export const readDinteroPaymentStep = createStep(
  "read-dintero-payment-state",
  async (input: { payment_id: string }, { container }) => {
    const payment = await container
      .resolve(Modules.PAYMENT)
      .retrievePayment(input.payment_id, { select: ["id", "data", "canceled_at", "captured_at"], relations: ["captures"] })
    const dintero = (payment.data?.dintero ?? {}) as { transaction_id?: string; transaction_status?: string }
    return new StepResponse({
      id: payment.id,
      captured_at: payment.captured_at,
      canceled_at: payment.canceled_at,
      captures: (payment.captures ?? []).map((capture: any) => ({ id: capture.id, amount: capture.amount })),
      dintero: { transaction_id: dintero.transaction_id, transaction_status: dintero.transaction_status },
    })
  }
)

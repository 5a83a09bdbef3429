import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

type PaymentRow = {
  id: string
  provider_id: string
  canceled_at?: unknown
  captured_at?: unknown
  captures?: Array<{ id: string }> | null
}

const isDintero = (payment: PaymentRow) => payment.provider_id.startsWith("pp_dintero_")
// Medusa sets captured_at once the whole amount is captured: then nothing is left to release.
const isPartCaptured = (payment: PaymentRow) => !payment.canceled_at && !payment.captured_at && (payment.captures?.length ?? 0) > 0

/**
 * The Dintero payments of a canceled order that something was captured from. Medusa's cancelOrderWorkflow
 * refunds what was captured from them and cancels only the payments without captures, so the uncaptured
 * rest of these stays authorized at Dintero (core-flows order/workflows/cancel-order.js).
 */
export const findPartCapturedOrderPaymentsStep = createStep(
  "find-part-captured-dintero-payments-of-order",
  async (input: { order_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "payment_collections.payments.id", "payment_collections.payments.provider_id", "payment_collections.payments.canceled_at", "payment_collections.payments.captured_at", "payment_collections.payments.captures.id"],
      filters: { id: input.order_id },
    })
    const payments = (data[0]?.payment_collections ?? []).flatMap((collection: any) => (collection?.payments ?? []) as PaymentRow[])
    return new StepResponse(payments.filter((payment) => isDintero(payment) && isPartCaptured(payment)).map((payment) => payment.id))
  }
)

/** The payment an admin asks to release: a Dintero payment, not canceled, with something captured. */
export const findReleasablePaymentStep = createStep(
  "find-releasable-dintero-payment",
  async (input: { payment_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "payment",
      fields: ["id", "provider_id", "canceled_at", "captured_at", "captures.id"],
      filters: { id: input.payment_id },
    })
    const payment = data[0] as PaymentRow | undefined
    if (!payment || !isDintero(payment)) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Dintero payment ${input.payment_id} was not found.`)
    }
    if (payment.canceled_at) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Payment ${payment.id} is canceled: there is nothing left to release.`)
    }
    if (!payment.captures?.length) {
      // Releasing all of an uncaptured authorization is cancelling the payment: Medusa's order cancel does that.
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Nothing is captured from payment ${payment.id}: cancel the order to release the whole authorization.`
      )
    }
    if (payment.captured_at) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Payment ${payment.id} is captured in full: there is nothing left to release.`)
    }
    return new StepResponse(payment.id)
  }
)

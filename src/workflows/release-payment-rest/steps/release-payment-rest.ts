import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { Logger } from "@medusajs/framework/types"

export type ReleasedPayment = {
  id: string
  canceled_at: unknown
  dintero: { transaction_id?: string; transaction_status?: string }
}

/**
 * Releases the uncaptured rest of a part-captured Dintero payment through Medusa's cancelPayment, which asks
 * the provider (its cancelPayment voids only the remainder, where Dintero allows it: providers/dintero/
 * release.ts) and then marks the payment canceled: no further capture, refunds of the captured part stay
 * possible (payment module refundPayment_ does not look at canceled_at). Not compensated: a released
 * authorization cannot be taken back.
 */
export async function releasePaymentRest(container: { resolve(key: string): any }, paymentId: string): Promise<ReleasedPayment> {
  const payment = await container.resolve(Modules.PAYMENT).cancelPayment(paymentId)
  const dintero = (payment.data?.dintero ?? {}) as ReleasedPayment["dintero"]
  return {
    id: payment.id,
    canceled_at: payment.canceled_at,
    dintero: { transaction_id: dintero.transaction_id, transaction_status: dintero.transaction_status },
  }
}

export const releasePaymentRestStep = createStep(
  "release-dintero-payment-rest",
  async (input: { payment_id: string }, { container }) => new StepResponse(await releasePaymentRest(container, input.payment_id))
)

/**
 * After an order is canceled: its money is refunded already and the order stays canceled whatever Dintero
 * answers, so a payment Dintero cannot release is logged with the reason, not thrown.
 */
export const releaseCanceledOrderPaymentsStep = createStep(
  "release-dintero-payments-of-canceled-order",
  async (input: { payment_ids: string[] }, { container }) => {
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
    const released: ReleasedPayment[] = []
    for (const paymentId of input.payment_ids) {
      try {
        released.push(await releasePaymentRest(container, paymentId))
      } catch (error) {
        if (!(MedusaError.isMedusaError(error) && (error as MedusaError).type === MedusaError.Types.NOT_ALLOWED)) {
          throw error
        }
        logger.warn(`Dintero: the canceled order's payment ${paymentId} keeps its uncaptured rest: ${(error as Error).message}`)
      }
    }
    return new StepResponse(released)
  }
)

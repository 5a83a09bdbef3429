import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { fromMinorUnits, toExactMinorUnits } from "../../../lib/dintero"

/**
 * Refuses, before anything is marked or sent, a capture of more than Medusa still holds of the payment
 * (its amount less its captures) or of an amount that is not whole minor units, saying how much is left.
 * Medusa's payment module refuses more than that too, but without the amount ("You cannot capture more
 * than the authorized amount…"), and only after the final-capture request was written.
 */
export const validateCaptureAmountStep = createStep(
  "validate-dintero-capture-amount",
  async (input: { payment: { id: string; currency_code: string; amount: number; captured: number; canceled_at: unknown }; amount: number }) => {
    const { payment } = input
    const currency = payment.currency_code.toUpperCase()
    if (payment.canceled_at) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Payment ${payment.id} is canceled: nothing can be captured from it.`)
    }
    const minor = toExactMinorUnits(input.amount, currency)
    if (minor === undefined || minor <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `amount ${input.amount} is not a positive whole amount of ${currency}.`)
    }
    const left = payment.amount - payment.captured
    if (minor > left) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `At most ${fromMinorUnits(Math.max(0, left), currency)} ${currency} can still be captured from payment ${payment.id}; nothing was captured.`
      )
    }
    return new StepResponse(minor)
  }
)

import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../helpers"
import type { ChargeOutcome } from "./charge-saved-card"
import type { OpenCharge } from "./open-charge"

/**
 * Records the proration charge. A decline, or an outcome we do not know, stops the plan change: the
 * customer keeps the current plan and can try again (a repeat reuses the same merchant reference).
 */
export const settleProrationStep = createStep(
  "settle-subscription-proration",
  async (input: { charge: OpenCharge | null; outcome: ChargeOutcome | null; paid_charge_id: string | null }, { container }) => {
    if (!input.charge || !input.outcome) {
      return new StepResponse({ charge_id: input.paid_charge_id })
    }
    const service = subscriptionModule(container)
    const { charge, outcome } = input
    if (outcome.status === "succeeded") {
      await service.updateSubscriptionCharges({ id: charge.id, status: "succeeded", payment_id: outcome.payment_id, transaction_id: outcome.transaction_id })
      return new StepResponse({ charge_id: charge.id as string | null })
    }
    if (outcome.status === "unknown") {
      await service.updateSubscriptionCharges({ id: charge.id, status: "unknown", error_message: outcome.message.slice(0, 2000) })
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        "Dintero did not confirm the proration charge. The plan was not changed; repeating the same change will not charge twice."
      )
    }
    await service.updateSubscriptionCharges({
      id: charge.id,
      status: "failed",
      transaction_id: outcome.transaction_id,
      error_code: outcome.decline.code ?? null,
      error_message: outcome.decline.message?.slice(0, 2000) ?? null,
      error_types: outcome.decline.types as unknown as Record<string, unknown>,
      retry_codes: outcome.decline.retry_codes as unknown as Record<string, unknown>,
    })
    throw new MedusaError(
      MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
      `The card was declined for the proration (${outcome.decline.message ?? outcome.decline.code ?? "declined"}); the plan was not changed.`
    )
  }
)

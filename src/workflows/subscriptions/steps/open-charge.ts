import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { fromMinorUnits } from "../../../lib/dintero"
import type { SubscriptionLine } from "../../../modules/subscription"
import { subscriptionModule } from "../helpers"

export type OpenChargeInput = {
  subscription_id: string
  kind: "renewal" | "proration"
  period_start: string
  period_end: string
  merchant_reference: string
  attempt: number
  amount: number
  currency_code: string
  items: SubscriptionLine[]
  card_id: string
  payment_collection_id: string | null
  /** An attempt whose outcome we never learned (crash, timeout): charged again with the same reference. */
  reuse_charge_id: string | null
  metadata?: Record<string, unknown>
}

export type OpenCharge = {
  id: string
  subscription_id: string
  merchant_reference: string
  amount: number
  currency_code: string
  items: SubscriptionLine[]
  card_id: string
  payment_collection_id: string
  /**
   * This attempt was written down before, by a run that never learned its outcome (it crashed, or Dintero's
   * answer was lost): it may have charged the card. The charge step then has Dintero searched for it first.
   */
  outcome_unknown: boolean
}

/**
 * Writes the attempt down before Dintero is called (status `pending`), with the payment collection the
 * charge goes into; a reused attempt (outcome unknown) keeps its record and collection. Not compensated:
 * the record is the memory of an attempt that may have moved money, and a later run picks it up.
 */
export const openChargeStep = createStep("open-subscription-charge", async (input: OpenChargeInput | null, { container }) => {
  if (!input) {
    return new StepResponse<OpenCharge | null>(null)
  }
  const service = subscriptionModule(container)
  if (input.reuse_charge_id) {
    const existing = await service.retrieveSubscriptionCharge(input.reuse_charge_id)
    if (existing.payment_collection_id) {
      return new StepResponse<OpenCharge | null>(toOpenCharge(existing, input.subscription_id, true))
    }
  }
  let collectionId = input.payment_collection_id
  if (!collectionId) {
    const paymentModule = container.resolve(Modules.PAYMENT)
    const collection = await paymentModule.createPaymentCollections({
      currency_code: input.currency_code.toLowerCase(),
      amount: fromMinorUnits(input.amount, input.currency_code.toUpperCase()),
      metadata: { subscription_id: input.subscription_id, merchant_reference: input.merchant_reference },
    })
    collectionId = collection.id
  }
  const charge = input.reuse_charge_id
    ? await service.updateSubscriptionCharges({ id: input.reuse_charge_id, payment_collection_id: collectionId })
    : await createAttempt(service, {
        subscription_id: input.subscription_id,
        kind: input.kind,
        period_start: new Date(input.period_start),
        period_end: new Date(input.period_end),
        merchant_reference: input.merchant_reference,
        attempt: input.attempt,
        status: "pending",
        amount: input.amount,
        currency_code: input.currency_code,
        items: input.items as unknown as Record<string, unknown>,
        card_id: input.card_id,
        payment_collection_id: collectionId,
        metadata: input.metadata ?? null,
      })
  return new StepResponse<OpenCharge | null>(toOpenCharge(charge, input.subscription_id, Boolean(input.reuse_charge_id)))
})

/**
 * (merchant_reference, attempt) is unique: when two processes that share no lock plan the same attempt,
 * the second insert is refused and that process stops here, before any money can move.
 */
async function createAttempt(service: ReturnType<typeof subscriptionModule>, attempt: Record<string, unknown> & { merchant_reference: string; attempt: number }) {
  try {
    return await service.createSubscriptionCharges(attempt as any)
  } catch (error) {
    const [taken] = await service.listSubscriptionCharges({ merchant_reference: attempt.merchant_reference, attempt: attempt.attempt }, { select: ["id"], take: 1 })
    if (taken) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `Attempt ${attempt.attempt} of ${attempt.merchant_reference} is being made by another process; nothing was charged here.`
      )
    }
    throw error
  }
}

function toOpenCharge(charge: Record<string, any>, subscriptionId: string, outcomeUnknown: boolean): OpenCharge {
  return {
    id: charge.id,
    subscription_id: subscriptionId,
    merchant_reference: charge.merchant_reference,
    amount: Number(charge.amount),
    currency_code: charge.currency_code,
    items: charge.items as SubscriptionLine[],
    card_id: charge.card_id,
    payment_collection_id: charge.payment_collection_id,
    outcome_unknown: outcomeUnknown,
  }
}

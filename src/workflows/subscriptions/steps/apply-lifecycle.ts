import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  cancel,
  changeCard,
  pause,
  resume,
  skipNextPeriod,
  unskipNextPeriod,
  type SubscriptionUpdate,
} from "../../../modules/subscription/lifecycle"
import { assertCustomerCard, nowFrom, subscriptionModule, toState } from "../helpers"

export type LifecycleAction =
  | { action: "pause" }
  | { action: "resume" }
  | { action: "cancel"; at_period_end?: boolean }
  | { action: "change_card"; card_id: string }
  | { action: "skip" }
  | { action: "unskip" }

/** Applies a pause, resume, cancel, card change or skip (rules in modules/subscription/lifecycle.ts). */
export const applyLifecycleStep = createStep(
  "apply-subscription-lifecycle",
  async (input: { subscription: Record<string, any>; change: LifecycleAction; now?: string }, { container }) => {
    const service = subscriptionModule(container)
    const state = toState(input.subscription)
    const now = nowFrom(input.now)
    let update: SubscriptionUpdate
    switch (input.change.action) {
      case "pause":
        update = pause(state, now)
        break
      case "resume":
        update = resume(state, now)
        break
      case "cancel":
        update = cancel(state, now, input.change.at_period_end ?? false)
        break
      case "change_card":
        await assertCustomerCard(container, input.subscription.customer_id, input.change.card_id, service.getOptions().providerId)
        update = changeCard(state, now, input.change.card_id)
        break
      case "skip":
        update = skipNextPeriod(state, service.getOptions().maxSkipsPerYear)
        if (update.skipped_periods) {
          await assertNoAttempt(service, state.id, state.current_period_end)
        }
        break
      case "unskip":
        update = unskipNextPeriod(state)
        break
    }
    const previous = Object.fromEntries(Object.keys(update).map((field) => [field, input.subscription[field] ?? null]))
    await service.updateSubscriptions({ id: state.id, ...update } as any)
    const updated = await service.retrieveSubscription(state.id)
    return new StepResponse(updated, { id: state.id, ...previous })
  },
  async (previous, { container }) => {
    if (previous) {
      await subscriptionModule(container).updateSubscriptions(previous as any)
    }
  }
)

/**
 * A period whose charge was already attempted (its outcome unknown, or Dintero holding it for review) is
 * being paid: skipping it now could leave money taken for a period the customer was told is skipped.
 */
async function assertNoAttempt(service: ReturnType<typeof subscriptionModule>, subscriptionId: string, periodStart: Date) {
  const [attempt] = await service.listSubscriptionCharges(
    { subscription_id: subscriptionId, kind: "renewal", period_start: periodStart },
    { select: ["id", "status"], take: 1 }
  )
  if (attempt) {
    throw new MedusaError(
      // NOT_ALLOWED (400): Medusa answers every CONFLICT with a generic text, and this one must say why.
      MedusaError.Types.NOT_ALLOWED,
      `The period starting ${periodStart.toISOString().slice(0, 10)} is already being charged (attempt ${attempt.status}); it can no longer be skipped.`
    )
  }
}

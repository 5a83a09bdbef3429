import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { periodAmount, type SubscriptionLine } from "../../../modules/subscription/lines"
import { subscriptionModule } from "../helpers"
import { prorationChargeReference, prorationOf, type PlanChange } from "./plan-proration"

export type PlanChangePreview = {
  currency_code: string
  /** Minor units per period, VAT included. */
  current_amount: number
  new_amount: number
  interval: string
  interval_count: number
  /** When the new plan's price is first billed: the end of the current period. */
  applies_from: string
  /** The proration of an upgrade (null without `prorate` or when the subscription is not active). */
  proration: { amount: number; vat_amount: number; remaining_ms: number; period_ms: number; at: string } | null
  /** What `change-plan` with the same body would charge the card now (0 when this very change was already paid). */
  charge_now: number
  already_paid: boolean
}

/**
 * What a plan change would do, computed by the same rules as the change (prorationOf), and nothing more:
 * no lock, no charge, no write. The change itself recomputes at its own `now`, so its amount can differ by
 * the seconds between the two requests.
 */
export const previewPlanChangeStep = createStep(
  "preview-subscription-plan-change",
  async (input: { subscription: Record<string, any>; change: PlanChange }, { container }) => {
    const { subscription, change } = input
    const proration = prorationOf(subscription, change)
    let alreadyPaid = false
    if (proration && proration.amount > 0) {
      const [latest] = await subscriptionModule(container).listSubscriptionCharges(
        { merchant_reference: prorationChargeReference(subscription, change) },
        { order: { attempt: "DESC" }, take: 1 }
      )
      alreadyPaid = latest?.status === "succeeded"
    }
    return new StepResponse<PlanChangePreview>({
      currency_code: subscription.currency_code,
      current_amount: periodAmount(subscription.items as SubscriptionLine[]),
      new_amount: periodAmount(change.items),
      interval: change.interval ?? subscription.interval,
      interval_count: change.interval_count ?? subscription.interval_count,
      applies_from: new Date(subscription.current_period_end).toISOString(),
      proration: proration
        ? { amount: proration.amount, vat_amount: proration.vat_amount, remaining_ms: proration.remaining_ms, period_ms: proration.period_ms, at: proration.at }
        : null,
      charge_now: proration && !alreadyPaid ? proration.amount : 0,
      already_paid: alreadyPaid,
    })
  }
)

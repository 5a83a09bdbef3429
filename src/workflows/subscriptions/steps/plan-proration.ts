import { createHash } from "node:crypto"
import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SubscriptionLine } from "../../../modules/subscription"
import { prorationReference } from "../../../modules/subscription/periods"
import { prorate, type Proration } from "../../../modules/subscription/proration"
import { assertNotBlocked, findAccountHolder, listSavedCards, nowFrom, subscriptionModule, type AccountHolder } from "../helpers"
import type { OpenChargeInput } from "./open-charge"

export type PlanChange = {
  items: SubscriptionLine[]
  interval?: "day" | "week" | "month" | "year"
  interval_count?: number
  /** Charge the prorated difference for the rest of the current period now (upgrades only). */
  prorate?: boolean
  now?: string
}

export type ProrationPlan = {
  provider_id: string
  charge: OpenChargeInput | null
  account_holder: AccountHolder | null
  proration: (Proration & { at: string }) | null
  /** The same change was already paid for in this period (a repeated request): nothing more to charge. */
  paid_charge_id: string | null
}

/**
 * Works out the proration of a plan change (formula in modules/subscription/proration.ts). Its merchant
 * reference is fixed by the period and the new lines, so a change repeated after an unknown outcome (the
 * request timed out) finds the first attempt and reuses its amount, and Dintero is never asked twice.
 */
export const planProrationStep = createStep(
  "plan-subscription-proration",
  async (input: { subscription: Record<string, any>; change: PlanChange }, { container }) => {
    const { subscription, change } = input
    const service = subscriptionModule(container)
    const providerId = service.getOptions().providerId
    const none: ProrationPlan = { provider_id: providerId, charge: null, account_holder: null, proration: null, paid_charge_id: null }
    const proration = prorationOf(subscription, change)
    if (!proration) {
      return new StepResponse(none)
    }
    if (proration.amount <= 0) {
      return new StepResponse({ ...none, proration })
    }
    const now = new Date(proration.at)
    const periodEnd = new Date(subscription.current_period_end)
    const reference = prorationChargeReference(subscription, change)
    const [latest] = await service.listSubscriptionCharges({ merchant_reference: reference }, { order: { attempt: "DESC" }, take: 1 })
    if (latest?.status === "succeeded") {
      return new StepResponse({ ...none, proration, paid_charge_id: latest.id })
    }
    const unknownOutcome = latest?.status === "pending" || latest?.status === "unknown"
    const amount = unknownOutcome ? latest.amount : proration.amount
    const line: SubscriptionLine = {
      line_id: "proration",
      title: `Plan change: ${change.items.map((item) => item.title).join(", ")} (rest of the period)`,
      quantity: 1,
      unit_amount: amount,
      vat: proration.vat ?? effectiveRate(proration),
      type: "item",
    }
    const charge: OpenChargeInput = {
      subscription_id: subscription.id,
      kind: "proration",
      period_start: now.toISOString(),
      period_end: periodEnd.toISOString(),
      merchant_reference: reference,
      attempt: unknownOutcome ? latest.attempt : (latest?.attempt ?? 0) + 1,
      amount,
      currency_code: subscription.currency_code,
      items: unknownOutcome ? (latest.items as unknown as SubscriptionLine[]) : [line],
      card_id: unknownOutcome ? latest.card_id : subscription.card_id,
      payment_collection_id: latest?.payment_collection_id ?? null,
      reuse_charge_id: unknownOutcome ? latest.id : null,
      metadata: { proration: { ...proration, old_items: subscription.items, new_items: change.items } },
    }
    const holder = await findAccountHolder(container, subscription.customer_id, providerId)
    if (!unknownOutcome) {
      // A card Dintero declined with DO_NOT_RETRY is not charged again, however often the change is sent.
      assertNotBlocked((await listSavedCards(container, holder)).find((card) => card.id === charge.card_id))
    }
    return new StepResponse<ProrationPlan>({ provider_id: providerId, charge, account_holder: holder, proration, paid_charge_id: null })
  }
)

/**
 * The proration a change would charge now, or null when it charges nothing by rule (no `prorate`, or the
 * subscription is not active). Shared by the change itself and its preview, so the two cannot disagree.
 */
export function prorationOf(subscription: Record<string, any>, change: PlanChange): (Proration & { at: string }) | null {
  const intervalChanges =
    (change.interval !== undefined && change.interval !== subscription.interval) ||
    (change.interval_count !== undefined && change.interval_count !== subscription.interval_count)
  if (change.prorate && intervalChanges) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "A change of interval starts with the next period and cannot be prorated.")
  }
  if (!change.prorate || subscription.status !== "active") {
    return null
  }
  const now = nowFrom(change.now)
  const periodStart = new Date(subscription.current_period_start)
  const periodEnd = new Date(subscription.current_period_end)
  return { ...prorate({ oldLines: subscription.items, newLines: change.items, periodStart, periodEnd, at: now }), at: now.toISOString() }
}

/** Fixed by the period and the new lines: the same change in the same period is the same charge. */
export function prorationChargeReference(subscription: Record<string, any>, change: Pick<PlanChange, "items">): string {
  const periodStart = new Date(subscription.current_period_start)
  const digest = createHash("sha256").update(JSON.stringify(change.items)).digest("hex").slice(0, 12)
  return prorationReference(subscription.id, `${periodStart.toISOString().slice(0, 10)}:${digest}`)
}

/** With several VAT rates in the plan, the one rate that gives the prorated VAT on the single line. */
function effectiveRate(proration: Proration): number {
  const net = proration.amount - proration.vat_amount
  return net > 0 ? Math.round((proration.vat_amount / net) * 10000) / 100 : 0
}

import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SubscriptionLine } from "../../../modules/subscription"
import { MAX_BACKDATE_DAYS, periodsOwedAt, scheduleStartingAt, trialEnd, type IntervalUnit } from "../../../modules/subscription/periods"
import { assertCustomerCard, copyAddress, subscriptionModule } from "../helpers"
import type { NewSubscription } from "./create-subscriptions"

export type AdminSubscriptionInput = {
  customer_id: string
  card_id: string
  region_id: string
  items: SubscriptionLine[]
  interval: IntervalUnit
  interval_count: number
  /** First period start and first charge (default: now). */
  starts_at?: string
  expires_at?: string | null
  /** A free trial: nothing is charged until `starts_at` + this many days, the first period starts then. */
  trial_days?: number
  sales_channel_id?: string | null
  shipping_address?: Record<string, unknown> | null
  metadata?: Record<string, unknown> | null
}

/**
 * Checks an admin's new subscription against the store: the card is one the customer saved and has not
 * expired, the region gives the currency, the customer's default addresses go on the renewal orders. The
 * first period is charged by the renewal job at `starts_at` (or at once with the charge-now route).
 */
export const prepareAdminSubscriptionStep = createStep(
  "prepare-admin-subscription",
  async (input: AdminSubscriptionInput, { container }) => {
    const { providerId, maxPeriodsPerRun } = subscriptionModule(container).getOptions()
    assertBoundedCatchUp(input, new Date(), maxPeriodsPerRun)
    await assertCustomerCard(container, input.customer_id, input.card_id, providerId)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const [{ data: regions }, { data: customers }] = await Promise.all([
      query.graph({ entity: "region", fields: ["id", "currency_code"], filters: { id: input.region_id } }),
      query.graph({ entity: "customer", fields: ["id", "email", "addresses.*"], filters: { id: input.customer_id } }),
    ])
    const region = regions[0] as { id: string; currency_code: string } | undefined
    const customer = customers[0] as Record<string, any> | undefined
    if (!region || !customer) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `${region ? "Customer" : "Region"} not found.`)
    }
    const addresses = (customer.addresses ?? []).filter(Boolean)
    const shipping = input.shipping_address ?? copyAddress(addresses.find((a: any) => a.is_default_shipping) ?? addresses[0])
    const billing = copyAddress(addresses.find((a: any) => a.is_default_billing)) ?? shipping
    const start = input.starts_at ? new Date(input.starts_at) : new Date()
    // A trial is the current period, unpaid; its end is where the first paid period starts (and the anchor day).
    const firstCharge = input.trial_days ? trialEnd(start, input.trial_days) : start
    const subscription: NewSubscription = {
      customer_id: customer.id,
      card_id: input.card_id,
      currency_code: region.currency_code,
      items: input.items,
      ...scheduleStartingAt(firstCharge, input.interval, input.interval_count),
      // Nothing paid yet: an empty current period (or the trial), whose end is where the first paid period starts.
      current_period_start: start,
      current_period_end: firstCharge,
      next_charge_at: firstCharge,
      ...(input.trial_days ? { status: "trialing" as const, trial_end: firstCharge } : {}),
      expires_at: input.expires_at ?? null,
      region_id: region.id,
      sales_channel_id: input.sales_channel_id ?? null,
      email: customer.email ?? null,
      shipping_address: shipping,
      billing_address: billing,
      metadata: input.metadata ?? null,
    }
    return new StepResponse([subscription])
  }
)

/**
 * A `starts_at` in the past is caught up: every period since then is charged. That is bounded: at most
 * MAX_BACKDATE_DAYS back, and at most `maxPeriodsPerRun` periods owed, so the first renewal run finishes
 * the catch-up (a daily plan backdated a year would otherwise charge 366 times). And a fixed term must end
 * after it starts (the route checks it too; this guards other callers of the workflow).
 */
function assertBoundedCatchUp(input: AdminSubscriptionInput, now: Date, maxPeriodsPerRun: number): void {
  const start = input.starts_at ? trialEnd(new Date(input.starts_at), input.trial_days ?? 0) : trialEnd(now, input.trial_days ?? 0)
  if (input.expires_at && new Date(input.expires_at).getTime() <= start.getTime()) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "expires_at must be after starts_at.")
  }
  if (start.getTime() < now.getTime() - MAX_BACKDATE_DAYS * 86_400_000) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `starts_at may be at most ${MAX_BACKDATE_DAYS} days in the past.`)
  }
  const owed = periodsOwedAt(start, now, scheduleStartingAt(start, input.interval, input.interval_count), maxPeriodsPerRun)
  if (owed > maxPeriodsPerRun) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `starts_at is more than ${maxPeriodsPerRun} ${input.interval} periods in the past: ` +
        `at most ${maxPeriodsPerRun} missed periods (maxPeriodsPerRun) may be charged when a subscription is backdated.`
    )
  }
}

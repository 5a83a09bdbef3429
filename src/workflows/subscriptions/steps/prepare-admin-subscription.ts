import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SubscriptionLine } from "../../../modules/subscription"
import { scheduleStartingAt, type IntervalUnit } from "../../../modules/subscription/periods"
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
    const { providerId } = subscriptionModule(container).getOptions()
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
    const subscription: NewSubscription = {
      customer_id: customer.id,
      card_id: input.card_id,
      currency_code: region.currency_code,
      items: input.items,
      ...scheduleStartingAt(start, input.interval, input.interval_count),
      // Nothing paid yet: an empty current period, whose end is where the first paid period starts.
      current_period_start: start,
      current_period_end: start,
      next_charge_at: start,
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

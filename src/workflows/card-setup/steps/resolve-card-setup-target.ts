import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../../subscriptions/helpers"
import { usableLink } from "./find-card-update-link"

/** What a new card may replace: active, trialing, past_due or paused subscriptions (modules/subscription/lifecycle.ts changeCard). */
export const REPLACEABLE = ["active", "trialing", "past_due", "paused"]

export type CardSetupTarget = {
  provider_id: string
  customer_id: string
  subscription_ids: string[]
  all_subscriptions: boolean
  link_id: string | null
  link_expires_at: string | null
  currency_code: string | null
}

export type CardSetupTargetInput = {
  /** The logged-in customer (store routes take it from the session only). */
  customer_id?: string
  /** Or a card-update link's token: the customer and the subscription are the link's. */
  link_token?: string
  /** The customer's subscriptions the new card replaces the card of: their ids, or "all" of the live ones. */
  use_for_subscriptions?: string[] | "all"
  /** The Dintero payment provider; the one subscriptions are charged with (`subscriptions.providerId`) when omitted. */
  provider_id?: string
}

/**
 * Whose card is saved, and which subscriptions it will pay. Subscriptions named by a customer must be their
 * own (another customer's is "not found", like one that does not exist) and not ended.
 */
export const resolveCardSetupTargetStep = createStep(
  "resolve-card-setup-target",
  async (input: CardSetupTargetInput, { container }) => {
    const service = subscriptionModule(container)
    const providerId = input.provider_id ?? service.getOptions().providerId
    if (input.link_token) {
      const link = await usableLink(container, input.link_token)
      const [subscription] = await service.listSubscriptions({ id: link.subscription_id, customer_id: link.customer_id })
      if (!subscription || !REPLACEABLE.includes(subscription.status)) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The subscription of this card-update link has ended; its card cannot be changed.")
      }
      return new StepResponse<CardSetupTarget>({
        provider_id: providerId,
        customer_id: link.customer_id,
        subscription_ids: [subscription.id],
        all_subscriptions: false,
        link_id: link.id,
        link_expires_at: new Date(link.expires_at).toISOString(),
        currency_code: subscription.currency_code,
      })
    }
    if (!input.customer_id) {
      throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "Log in to save a card.")
    }
    const wanted = input.use_for_subscriptions
    const ids = Array.isArray(wanted) ? [...new Set(wanted)] : []
    const subscriptions = ids.length ? await service.listSubscriptions({ id: ids, customer_id: input.customer_id }) : []
    for (const id of ids) {
      const subscription = subscriptions.find((candidate) => candidate.id === id)
      if (!subscription) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Subscription ${id} was not found.`)
      }
      if (!REPLACEABLE.includes(subscription.status)) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Subscription ${id} is ${subscription.status}; its card cannot be changed.`)
      }
    }
    return new StepResponse<CardSetupTarget>({
      provider_id: providerId,
      customer_id: input.customer_id,
      subscription_ids: ids,
      all_subscriptions: wanted === "all",
      link_id: null,
      link_expires_at: null,
      currency_code: subscriptions[0]?.currency_code ?? null,
    })
  }
)

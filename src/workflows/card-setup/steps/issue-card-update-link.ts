import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../../subscriptions/helpers"
import { cardUpdateUrl, newCardUpdateToken } from "../card-update-token"
import { REPLACEABLE } from "./resolve-card-setup-target"

export type IssueCardUpdateLinkInput = { subscription_id: string; ttl_hours?: number }
export type IssuedCardUpdateLink = { url: string; expires_at: string }

/**
 * Issues a card-update link for one subscription: a random token (only its hash is stored), bound to the
 * subscription and its customer, expiring after `ttl_hours` (default `subscriptions.cardUpdateLinkTtlHours`).
 * The URL is the `subscriptions.cardUpdateUrl` template with the token. The token itself is in the URL only.
 */
export const issueCardUpdateLinkStep = createStep(
  "issue-card-update-link",
  async (input: IssueCardUpdateLinkInput, { container }) => {
    const service = subscriptionModule(container)
    const options = service.getOptions()
    if (!options.cardUpdateUrl) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "Card-update links need the storefront page they open: set the plugin option subscriptions.cardUpdateUrl (e.g. https://shop.example/account/card-update?token={token})."
      )
    }
    const ttlHours = input.ttl_hours ?? options.cardUpdateLinkTtlHours
    if (!(ttlHours > 0) || ttlHours > 24 * 60) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "ttl_hours must be more than 0 and at most 1440 (60 days).")
    }
    const [subscription] = await service.listSubscriptions({ id: input.subscription_id })
    if (!subscription) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Subscription ${input.subscription_id} was not found.`)
    }
    if (!REPLACEABLE.includes(subscription.status)) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Subscription ${subscription.id} is ${subscription.status}; its card cannot be changed.`)
    }
    const { token, hash } = newCardUpdateToken()
    const expiresAt = new Date(Date.now() + ttlHours * 3_600_000)
    const link = await service.createCardUpdateLinks({
      subscription_id: subscription.id,
      customer_id: subscription.customer_id,
      token_hash: hash,
      expires_at: expiresAt,
    })
    return new StepResponse<IssuedCardUpdateLink, string>({ url: cardUpdateUrl(options.cardUpdateUrl, token), expires_at: expiresAt.toISOString() }, link.id)
  },
  async (linkId, { container }) => {
    if (linkId) {
      await subscriptionModule(container).deleteCardUpdateLinks(linkId)
    }
  }
)

import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { subscriptionModule } from "../../subscriptions/helpers"
import { hashCardUpdateToken } from "../card-update-token"

export type CardUpdateLinkRecord = {
  id: string
  subscription_id: string
  customer_id: string
  expires_at: Date | string
  consumed_at: Date | string | null
  revoked_at: Date | string | null
}

/**
 * The link a token stands for, if it can still be used. A token that matches no link (forged, altered, or
 * from another store) is a 404 that says nothing more; an expired, used or revoked one is a 400 saying which.
 */
export async function usableLink(container: { resolve(key: string): any }, token: string, now = new Date()): Promise<CardUpdateLinkRecord> {
  const [link] = (await subscriptionModule(container).listCardUpdateLinks({ token_hash: hashCardUpdateToken(token) })) as CardUpdateLinkRecord[]
  if (!link) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, "This card-update link is not valid.")
  }
  refuseUnusable(link, now)
  return link
}

export function refuseUnusable(link: CardUpdateLinkRecord, now = new Date()): void {
  if (link.revoked_at) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "This card-update link was revoked; ask the shop for a new one.")
  }
  if (link.consumed_at) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "This card-update link was already used; a link works once.")
  }
  if (new Date(link.expires_at).getTime() <= now.getTime()) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `This card-update link expired at ${new Date(link.expires_at).toISOString()}; ask the shop for a new one.`
    )
  }
}

export const findCardUpdateLinkStep = createStep("find-card-update-link", async (input: { token: string }, { container }) => {
  return new StepResponse(await usableLink(container, input.token))
})

import type { MedusaContainer } from "@medusajs/framework/types"
import { issueCardUpdateLinkWorkflow } from "../card-setup"
import { subscriptionModule } from "../subscriptions/helpers"

/**
 * The signed card-update link put in a notice that asks the customer to replace their card
 * (`card_update_url`): a single-use link for this subscription (workflows/card-setup), valid for
 * `subscriptions.cardUpdateLinkTtlHours`. A store that set no `subscriptions.cardUpdateUrl` has no page for
 * such links, so its notices carry `null` rather than failing.
 * Called only when a notice is about to be sent for the first time (after its idempotency check), so each
 * sent notice issues one link and a repeated event or job run issues none.
 */
export async function cardUpdateLinkForNotice(container: MedusaContainer, subscriptionId: string): Promise<string | null> {
  if (!subscriptionModule(container).getOptions().cardUpdateUrl) {
    return null
  }
  const { result } = await issueCardUpdateLinkWorkflow(container).run({ input: { subscription_id: subscriptionId } })
  return result.url
}

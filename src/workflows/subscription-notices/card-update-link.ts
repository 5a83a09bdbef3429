import type { MedusaContainer } from "@medusajs/framework/types"

/**
 * The signed card-update link put in a notice that asks the customer to replace their card
 * (`card_update_url`). The link is issued by the card-update workflow (issue 10, "a signed, expiring,
 * single-use card-update link"); until that workflow is part of the plugin, notices carry `null`.
 * Called only when a notice is about to be sent for the first time (after its idempotency check), so each
 * sent notice issues one link and a repeated event or job run issues none.
 *
 * Wiring, one line: `return (await issueCardUpdateLinkWorkflow(container).run({ input: { subscription_id: subscriptionId } })).result.url`
 */
export async function cardUpdateLinkForNotice(container: Pick<MedusaContainer, "resolve">, subscriptionId: string): Promise<string | null> {
  void container
  void subscriptionId
  return null
}

import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type DinteroAccountHolder = { id: string; provider_id: string; data: Record<string, unknown> }

/**
 * The customer's account holder for a Dintero provider, found from the customer's own id (taken from the
 * authenticated session by the store routes, from the URL by the admin routes), so a customer can only ever
 * reach their own saved cards. A customer that does not exist is a 404, not an empty list: an admin who
 * mistypes an id must not be told the customer has no cards.
 */
export const findDinteroAccountHolderStep = createStep(
  "find-dintero-account-holder",
  async (input: { customer_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "customer",
      fields: ["id", "account_holders.id", "account_holders.provider_id", "account_holders.data"],
      filters: { id: input.customer_id },
    })
    if (!data[0]) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer ${input.customer_id} was not found.`)
    }
    const holders = (data[0].account_holders ?? []) as Array<DinteroAccountHolder | null>
    const holder = holders.find((candidate) => candidate?.provider_id.startsWith("pp_dintero_")) ?? null
    return new StepResponse(holder)
  }
)

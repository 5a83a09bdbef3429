import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type DinteroAccountHolder = { id: string; provider_id: string; data: Record<string, unknown> }

/**
 * The customer's account holder for a Dintero provider, found from the customer's own id (taken from the
 * authenticated session by the route), so a customer can only ever reach their own saved cards.
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
    const holders = (data[0]?.account_holders ?? []) as Array<DinteroAccountHolder | null>
    const holder = holders.find((candidate) => candidate?.provider_id.startsWith("pp_dintero_")) ?? null
    return new StepResponse(holder)
  }
)

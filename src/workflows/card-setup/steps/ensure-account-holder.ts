import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { findAccountHolder, type AccountHolder } from "../../subscriptions/helpers"

export type SetupCustomer = { id: string; email: string | null; account_holder: AccountHolder }

/**
 * The customer's account holder for the Dintero provider, created (and linked to the customer) when the
 * customer has never paid: as Medusa's createPaymentSessionsWorkflow does at a first checkout. One customer at
 * a time, so two first cards saved at once do not create two holders.
 */
export const ensureAccountHolderStep = createStep(
  "ensure-dintero-account-holder",
  async (input: { customer_id: string; provider_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "customer", fields: ["id", "email"], filters: { id: input.customer_id } })
    const customer = data[0] as { id: string; email?: string | null } | undefined
    if (!customer) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer ${input.customer_id} was not found.`)
    }
    const locking = container.resolve(Modules.LOCKING)
    const holder = await locking.execute(`dintero-account-holder:${customer.id}`, async () => {
      const existing = await findAccountHolder(container, customer.id, input.provider_id)
      if (existing) {
        return existing
      }
      const paymentModule = container.resolve(Modules.PAYMENT)
      const created = await paymentModule.createAccountHolder({ provider_id: input.provider_id, context: { customer: customer as any } })
      const link = container.resolve(ContainerRegistrationKeys.LINK)
      await link.create({ [Modules.CUSTOMER]: { customer_id: customer.id }, [Modules.PAYMENT]: { account_holder_id: created.id } })
      return { id: created.id, provider_id: input.provider_id, data: (created.data ?? {}) as Record<string, unknown> }
    })
    return new StepResponse<SetupCustomer>({ id: customer.id, email: customer.email ?? null, account_holder: holder })
  }
)

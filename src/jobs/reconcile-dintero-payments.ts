import { container as medusaContainer } from "@medusajs/framework"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { reconciliationOptionsSchema } from "../providers/dintero/options"
import { dinteroProviderConfigs } from "../providers/dintero/provider-config"
import { reconcileDinteroPayments } from "../workflows/reconcile-dintero-payments"

/**
 * Reads back from Dintero the payment sessions that stayed pending (workflows/reconcile-dintero-payments).
 * Runs in Medusa's worker; overlapping runs (a slow run, two workers) are refused by the run lock.
 */
export default async function reconcileDinteroPaymentsJob(container: MedusaContainer) {
  const configModule = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, unknown> }
  const [first] = dinteroProviderConfigs(configModule)
  if (!first?.options.reconciliation.job) {
    return
  }
  await reconcileDinteroPayments(container, { trigger: "job" })
}

export const config = {
  name: "dintero-reconcile-payments",
  // Medusa reads the schedule when it loads the job: from the loaded configuration (the first Dintero
  // provider's `reconciliation.schedule`).
  schedule: reconciliationSchedule(),
}

function reconciliationSchedule(): string {
  try {
    const configModule = medusaContainer.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, unknown> }
    return dinteroProviderConfigs(configModule)[0]?.options.reconciliation.schedule ?? reconciliationOptionsSchema.parse({}).schedule
  } catch {
    return reconciliationOptionsSchema.parse({}).schedule
  }
}

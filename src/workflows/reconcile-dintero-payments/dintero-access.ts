import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import type { DinteroClient } from "../../lib/dintero"
import { createDinteroClient } from "../../providers/dintero/client-factory"
import type { DinteroOptions } from "../../providers/dintero/options"
import { dinteroProviderConfigs, type DinteroProviderConfig } from "../../providers/dintero/provider-config"

type Container = Pick<MedusaContainer, "resolve">

/** The store's Dintero providers and their options, as configured (medusa-config → payment → providers). */
export function configuredDinteroProviders(container: Container): DinteroProviderConfig[] {
  const configModule = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, unknown> }
  return dinteroProviderConfigs(configModule)
}

/** One client per provider and process, so its access token is reused across runs. */
const clients = new Map<string, DinteroClient>()

/**
 * A Dintero client for the account of provider `providerId`: the payment module offers no way to ask a
 * provider to list or void a transaction that has no Medusa Payment, so the reconciliation talks to Dintero
 * with the provider's own options and client (providers/dintero/client-factory.ts).
 */
export function dinteroAccess(container: Container, providerId: string): { client: DinteroClient; options: DinteroOptions } {
  const config = configuredDinteroProviders(container).find((provider) => provider.providerId === providerId)
  if (!config) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No Dintero provider ${providerId} is configured.`)
  }
  let client = clients.get(providerId)
  if (!client) {
    client = createDinteroClient(config.options, container.resolve(ContainerRegistrationKeys.LOGGER))
    clients.set(providerId, client)
  }
  return { client, options: config.options }
}

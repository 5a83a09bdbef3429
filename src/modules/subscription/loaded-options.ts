import { container as medusaContainer } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { SUBSCRIPTION_MODULE } from "./index"
import { parseSubscriptionOptions, type SubscriptionOptions } from "./options"

/**
 * The subscription options of the loaded configuration (the plugin's `subscriptions` options), for what
 * Medusa reads before any container is handed to the plugin: a scheduled job's `config.schedule` is read when
 * the job file is loaded. The defaults where no configuration is loaded yet (a build, a type check).
 */
export function loadedSubscriptionOptions(): SubscriptionOptions {
  try {
    const configModule = medusaContainer.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, any> }
    return parseSubscriptionOptions(configModule.modules?.[SUBSCRIPTION_MODULE]?.options)
  } catch {
    return parseSubscriptionOptions({})
  }
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

type Container = Pick<MedusaContainer, "resolve" | "hasRegistration">

/**
 * Whether the store can deliver on a channel: Medusa's Notification module is loaded and one of its
 * providers serves the channel. Medusa loads the module by default with only its local provider on the
 * "feed" channel (defineConfig in @medusajs/utils), and its createNotifications then records a failed
 * notification and throws "Could not find a notification provider for channel" for every e-mail; a store
 * that configured no e-mail provider must keep renewing, so the notices are skipped (with one warning).
 * Read from the loaded configuration, as Medusa's own provider loader does (notification/loaders/providers):
 * a provider's `options.channels`, and Medusa Cloud's e-mail provider, registered for "email" when its
 * `cloud` options are complete and no other provider serves e-mail.
 */
export function notificationChannelState(container: Container, channel: string): { ready: true } | { ready: false; why: string } {
  if (!container.hasRegistration(Modules.NOTIFICATION)) {
    return { ready: false, why: "Medusa's Notification module is not loaded" }
  }
  const configModule = container.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as { modules?: Record<string, unknown> }
  return channelConfigured(configModule.modules?.[Modules.NOTIFICATION], channel)
    ? { ready: true }
    : { ready: false, why: `no notification provider is configured for the "${channel}" channel` }
}

export function channelConfigured(moduleConfig: unknown, channel: string): boolean {
  const options = (moduleConfig as { options?: Record<string, any> } | undefined)?.options
  if (!options) {
    return false
  }
  const providers = Array.isArray(options.providers) ? options.providers : []
  if (providers.some((provider: any) => Array.isArray(provider?.options?.channels) && provider.options.channels.includes(channel))) {
    return true
  }
  const cloud = options.cloud ?? {}
  return channel === "email" && Boolean(cloud.api_key && cloud.endpoint && (cloud.environment_handle || cloud.sandbox_handle))
}

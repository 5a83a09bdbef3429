import type { Logger } from "@medusajs/framework/types"
import { DinteroClient } from "../../lib/dintero"
import type { DinteroOptions } from "./options"
import { pluginInfo } from "./plugin-info"

/** The Dintero client for a provider's options: one place, used by the provider and by the reconciliation. */
export function createDinteroClient(options: DinteroOptions, logger?: Logger): DinteroClient {
  const info = pluginInfo()
  return new DinteroClient({
    accountId: options.accountId,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    apiBaseUrl: options.apiBaseUrl,
    checkoutBaseUrl: options.checkoutBaseUrl,
    timeoutMs: options.timeoutMs,
    retry: {
      maxRetries: options.maxRetries,
      baseDelayMs: options.retryBaseDelayMs,
      maxDelayMs: options.retryMaxDelayMs,
    },
    system: { name: "medusa", version: info.medusaVersion, pluginName: info.name, pluginVersion: info.version },
    log: (line) => logger?.debug(line),
  })
}

import { container as medusaContainer } from "@medusajs/framework"
import type { LoaderOptions, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

type ConfigModule = {
  projectConfig?: { workerMode?: string }
  modules?: Record<string, { options?: { providers?: Array<{ resolve?: unknown }> } } | boolean | undefined>
}

/**
 * Subscriptions are renewed and changed under a per-subscription lock taken with Medusa's Locking module.
 * Its default provider keeps locks in the memory of one process: with a separate server and worker
 * (`workerMode` other than `shared`) or several instances, two processes can then work on the same
 * subscription at once. Orders and Dintero charges stay single (order ids and merchant references are
 * fixed per period), but the work races; Medusa's own cart completion needs a shared lock just the same.
 * So say it loudly at startup rather than let it pass silently.
 */
export function inMemoryLockingWarning(config: ConfigModule | undefined): string | null {
  const workerMode = config?.projectConfig?.workerMode ?? "shared"
  if (workerMode === "shared") {
    return null
  }
  const locking = config?.modules?.[Modules.LOCKING]
  const providers = typeof locking === "object" && locking ? locking.options?.providers ?? [] : []
  // The in-memory provider is built in and needs no entry: any configured provider other than it is shared.
  const shared = providers.some((provider) => !/in-?memory/i.test(String(provider?.resolve ?? "")))
  if (shared) {
    return null
  }
  return (
    `medusa-payment-dintero: workerMode is "${workerMode}" but the Locking module keeps its locks in memory. ` +
    "Subscription renewals and changes from different processes will not exclude each other. Configure a shared " +
    "locking provider (@medusajs/medusa/locking-redis or @medusajs/medusa/locking-postgres) in medusa-config."
  )
}

export default async function warnInMemoryLocking({ logger }: LoaderOptions): Promise<void> {
  let config: ConfigModule | undefined
  try {
    config = medusaContainer.resolve(ContainerRegistrationKeys.CONFIG_MODULE) as ConfigModule
  } catch {
    return // no application configuration (a module booted on its own in a test): nothing to check
  }
  const warning = inMemoryLockingWarning(config)
  if (warning) {
    ;(logger as Logger | undefined)?.warn(warning)
  }
}

import { container as medusaContainer } from "@medusajs/framework"
import type { LoaderOptions, Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

type ModuleEntry = { resolve?: unknown; options?: { providers?: Array<{ resolve?: unknown }> } }

type ConfigModule = {
  projectConfig?: { workerMode?: string }
  modules?: Record<string, ModuleEntry | boolean | undefined>
}

/**
 * Subscriptions are renewed and changed, and Dintero's callbacks handled, under locks taken with Medusa's
 * Locking module. Its default provider keeps locks in the memory of one process: with a separate server and
 * worker (`workerMode` other than `shared`) or several instances, two processes can then work on the same
 * subscription or callback at once. Orders and Dintero charges stay single (order ids and merchant references
 * are fixed per period), but the work races; Medusa's own cart completion needs a shared lock just the same.
 * A Redis event bus or workflow engine is only configured for several processes (Medusa's worker-mode and
 * deployment docs), so with in-memory locking it says the same. Say it loudly at startup rather than let it
 * pass silently.
 */
export function inMemoryLockingWarning(config: ConfigModule | undefined): string | null {
  const workerMode = config?.projectConfig?.workerMode ?? "shared"
  const entry = (key: string) => {
    const value = config?.modules?.[key]
    return typeof value === "object" && value ? value : undefined
  }
  const providers = entry(Modules.LOCKING)?.options?.providers ?? []
  // The in-memory provider is built in and needs no entry: any configured provider other than it is shared.
  if (providers.some((provider) => !/in-?memory/i.test(String(provider?.resolve ?? "")))) {
    return null
  }
  const redisModules = [Modules.EVENT_BUS, Modules.WORKFLOW_ENGINE].filter((key) => /redis/i.test(String(entry(key)?.resolve ?? "")))
  if (workerMode === "shared" && !redisModules.length) {
    return null
  }
  const layout =
    workerMode !== "shared"
      ? `workerMode is "${workerMode}"`
      : `a Redis ${redisModules.map((key) => (key === Modules.EVENT_BUS ? "event bus" : "workflow engine")).join(" and ")} is configured (several processes)`
  return (
    `medusa-payment-dintero: ${layout} but the Locking module keeps its locks in memory. ` +
    "Subscription renewals and changes, and duplicate Dintero callbacks, from different processes will not exclude " +
    "each other. Configure a shared locking provider (@medusajs/medusa/locking-redis or " +
    "@medusajs/medusa/locking-postgres) in medusa-config."
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

import { Modules } from "@medusajs/framework/utils"
import { dinteroOptionsSchema, type DinteroOptions } from "./options"
import { DinteroProviderService } from "./service"

export type DinteroProviderConfig = { providerId: string; options: DinteroOptions }

type ProviderEntry = { resolve?: unknown; id?: unknown; options?: unknown }

/**
 * The Dintero providers a store configured (medusa-config `modules` → payment → `providers`), with their
 * validated options, as `pp_dintero_<id>`: what work outside a payment (the reconciliation job) needs to talk
 * to the same Dintero account the provider does. Medusa registers a provider as `pp_<identifier>_<id>`
 * (payment module loaders/providers.js); an entry whose options are not Dintero's is not one of ours.
 */
export function dinteroProviderConfigs(configModule: { modules?: Record<string, unknown> } | undefined): DinteroProviderConfig[] {
  const payment = configModule?.modules?.[Modules.PAYMENT] as { options?: { providers?: ProviderEntry[] } } | undefined
  const entries = Array.isArray(payment?.options?.providers) ? payment!.options!.providers! : []
  return entries.flatMap((entry) => {
    const parsed = dinteroOptionsSchema.safeParse(entry.options ?? {})
    return typeof entry.id === "string" && parsed.success
      ? [{ providerId: `pp_${DinteroProviderService.identifier}_${entry.id}`, options: parsed.data }]
      : []
  })
}

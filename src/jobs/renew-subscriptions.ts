import type { MedusaContainer } from "@medusajs/framework/types"
import { SUBSCRIPTION_MODULE, type SubscriptionModuleService } from "../modules/subscription"
import { loadedSubscriptionOptions } from "../modules/subscription/loaded-options"
import { runScheduledRenewals } from "../workflows/subscriptions"

/**
 * Charges the subscriptions that are due, in Medusa's worker (jobs run where `workerMode` is `shared` or
 * `worker`). All the work is in runScheduledRenewals: a tick that comes while the previous run is still going
 * is skipped (Medusa's Locking module), and even overlapping runs would be safe: each subscription is renewed
 * under its lock, and each period has one merchant_reference.
 */
export default async function renewSubscriptionsJob(container: MedusaContainer) {
  const service = container.resolve(SUBSCRIPTION_MODULE) as SubscriptionModuleService
  if (!service.getOptions().renewalJob) {
    return
  }
  await runScheduledRenewals(container)
}

export const config = {
  name: "dintero-renew-subscriptions",
  // Medusa reads the schedule when it loads the job, before any container is passed to it: the module's
  // options are read from the loaded configuration (plugin options, `subscriptions.renewalSchedule`).
  schedule: loadedSubscriptionOptions().renewalSchedule,
}

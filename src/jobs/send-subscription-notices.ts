import type { MedusaContainer } from "@medusajs/framework/types"
import { SUBSCRIPTION_MODULE, type SubscriptionModuleService } from "../modules/subscription"
import { loadedSubscriptionOptions } from "../modules/subscription/loaded-options"
import { sendScheduledSubscriptionNotices } from "../workflows/subscription-notices"

/**
 * Sends the notices due ahead of charges (upcoming-renewal reminders, expiring cards), in Medusa's worker.
 * All the work is in sendScheduledSubscriptionNotices; each notice is sent once however often this runs.
 */
export default async function sendSubscriptionNoticesJob(container: MedusaContainer) {
  const service = container.resolve(SUBSCRIPTION_MODULE) as SubscriptionModuleService
  const { notifications } = service.getOptions()
  if (!notifications.enabled || !notifications.job) {
    return
  }
  await sendScheduledSubscriptionNotices(container)
}

export const config = {
  name: "dintero-subscription-notices",
  // Read when Medusa loads the job, from the loaded configuration (`subscriptions.notifications.schedule`),
  // as the renewal job reads its schedule.
  schedule: loadedSubscriptionOptions().notifications.schedule,
}

import { MedusaService } from "@medusajs/framework/utils"
import Subscription from "./models/subscription"
import SubscriptionCharge from "./models/subscription-charge"
import { parseSubscriptionOptions, type SubscriptionOptions } from "./options"

/** A plain data service: the billing rules live in workflows (src/workflows/subscriptions). */
export default class SubscriptionModuleService extends MedusaService({ Subscription, SubscriptionCharge }) {
  protected readonly options_: SubscriptionOptions

  constructor(container: Record<string, unknown>, options?: Record<string, unknown>) {
    super(...arguments)
    this.options_ = parseSubscriptionOptions(options)
  }

  getOptions(): SubscriptionOptions {
    return this.options_
  }
}

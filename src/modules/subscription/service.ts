import { MedusaService } from "@medusajs/framework/utils"
import CardSetup from "./models/card-setup"
import CardUpdateLink from "./models/card-update-link"
import Subscription from "./models/subscription"
import SubscriptionCharge from "./models/subscription-charge"
import { parseSubscriptionOptions, type SubscriptionOptions } from "./options"

/** A plain data service: the billing rules live in workflows (src/workflows/subscriptions). */
export default class SubscriptionModuleService extends MedusaService({ Subscription, SubscriptionCharge, CardSetup, CardUpdateLink }) {
  protected readonly options_: SubscriptionOptions

  constructor(container: Record<string, unknown>, options?: Record<string, unknown>) {
    super(...arguments)
    this.options_ = parseSubscriptionOptions(options)
  }

  getOptions(): SubscriptionOptions {
    return this.options_
  }
}

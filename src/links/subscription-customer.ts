import { defineLink } from "@medusajs/framework/utils"
import CustomerModule from "@medusajs/medusa/customer"
import SubscriptionModule from "../modules/subscription"

/** A customer has many subscriptions (query `customer.subscriptions` / `subscription.customer`). */
export default defineLink(
  { linkable: SubscriptionModule.linkable.subscription, isList: true },
  CustomerModule.linkable.customer
)

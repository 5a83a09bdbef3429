import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import SubscriptionModule from "../modules/subscription"

/** The order that started a subscription and every renewal order (query `subscription.orders` / `order.subscription`). */
export default defineLink(SubscriptionModule.linkable.subscription, { linkable: OrderModule.linkable.order, isList: true })

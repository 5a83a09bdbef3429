import { Module } from "@medusajs/framework/utils"
import SubscriptionModuleService from "./service"

export const SUBSCRIPTION_MODULE = "subscription"

export default Module(SUBSCRIPTION_MODULE, { service: SubscriptionModuleService })

export type { SubscriptionLine, ChargeItem } from "./lines"
export type { SubscriptionOptions, RenewalPolicy } from "./options"
export { SubscriptionModuleService }

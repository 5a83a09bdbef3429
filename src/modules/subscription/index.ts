import { Module } from "@medusajs/framework/utils"
import warnInMemoryLocking from "./loaders/warn-in-memory-locking"
import SubscriptionModuleService from "./service"

export const SUBSCRIPTION_MODULE = "subscription"

export default Module(SUBSCRIPTION_MODULE, { service: SubscriptionModuleService, loaders: [warnInMemoryLocking] })

export type { SubscriptionLine, ChargeItem } from "./lines"
export type { SubscriptionOptions, RenewalPolicy } from "./options"
export { SubscriptionModuleService }

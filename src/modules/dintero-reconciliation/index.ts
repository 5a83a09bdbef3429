import { Module } from "@medusajs/framework/utils"
import { DINTERO_RECONCILIATION_MODULE } from "./key"
import DinteroReconciliationModuleService from "./service"

export default Module(DINTERO_RECONCILIATION_MODULE, { service: DinteroReconciliationModuleService })

export { DINTERO_RECONCILIATION_MODULE, DinteroReconciliationModuleService }

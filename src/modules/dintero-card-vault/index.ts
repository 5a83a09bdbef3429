import { Module } from "@medusajs/framework/utils"
import { DINTERO_CARD_VAULT_MODULE } from "./key"
import DinteroCardVaultModuleService from "./service"

export default Module(DINTERO_CARD_VAULT_MODULE, { service: DinteroCardVaultModuleService })

export { DINTERO_CARD_VAULT_MODULE, DinteroCardVaultModuleService }

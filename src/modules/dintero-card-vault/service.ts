import { MedusaService } from "@medusajs/framework/utils"
import DinteroCardCredential from "./models/card-credential"

/** A plain data service; sealing, opening and ownership checks are the provider's card vault (providers/dintero/card-vault.ts). */
export default class DinteroCardVaultModuleService extends MedusaService({ DinteroCardCredential }) {}

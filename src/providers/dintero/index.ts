import { ModuleProvider, Modules } from "@medusajs/framework/utils"
import { DinteroProviderService } from "./service"

export { DinteroProviderService }
export type { DinteroOptions, DinteroOptionsInput } from "./options"

export default ModuleProvider(Modules.PAYMENT, { services: [DinteroProviderService] })

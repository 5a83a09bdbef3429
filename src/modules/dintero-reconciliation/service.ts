import { MedusaService } from "@medusajs/framework/utils"
import DinteroReconciliationFinding from "./models/finding"
import DinteroReconciliationRun from "./models/run"

/** A plain data service: the reconciliation itself is a workflow (workflows/reconcile-dintero-payments). */
export default class DinteroReconciliationModuleService extends MedusaService({ DinteroReconciliationFinding, DinteroReconciliationRun }) {}

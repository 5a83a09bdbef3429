import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { readDinteroPaymentWorkflow } from "../../../../../workflows/read-dintero-payment"
import { AdminDinteroPaymentParams } from "../validators"

/**
 * GET /admin/dintero/payments/:id — the order page's Dintero panel: Medusa's record of the payment beside its
 * transaction read live from Dintero (method, authorized/captured/refunded/capturable amounts in minor
 * units, status, events, Backoffice link). 404 for a payment that is not a Dintero payment Medusa knows.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const params = AdminDinteroPaymentParams.safeParse(req.params)
  if (!params.success) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Dintero payment ${req.params.id} was not found.`)
  }
  const { result } = await readDinteroPaymentWorkflow(req.scope).run({ input: { payment_id: params.data.id } })
  res.json({ payment: result })
}

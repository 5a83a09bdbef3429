import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { toMedusaError } from "../../../providers/dintero/errors"
import { transactionView, type DinteroTransactionView } from "../../../providers/dintero/transaction-view"
import { dinteroAccess } from "../../reconcile-dintero-payments/dintero-access"

/**
 * Reads the payment's transaction live from Dintero with the provider's own client and options (the payment
 * module has no call that returns a provider's raw transaction), without token includes, and keeps only the
 * panel's view of it. A payment recorded before its transaction id was known has no transaction to read.
 */
export const readDinteroTransactionStep = createStep(
  "read-dintero-transaction-for-admin",
  async (input: { provider_id: string; transaction_id: string | null }, { container }) => {
    if (!input.transaction_id) {
      return new StepResponse<DinteroTransactionView | null>(null)
    }
    const { client, options } = dinteroAccess(container, input.provider_id)
    try {
      const transaction = await client.getTransaction(input.transaction_id)
      return new StepResponse<DinteroTransactionView | null>(transactionView(transaction, options.accountId))
    } catch (error) {
      throw toMedusaError(error, `read transaction ${input.transaction_id}`)
    }
  }
)

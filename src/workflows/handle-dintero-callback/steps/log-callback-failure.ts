import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { Logger, WebhookActionResult } from "@medusajs/framework/types"

/**
 * A `report_error` callback (payments spec `CallbackUrl`): the payer cancelled (`cancelled`), the payment was
 * declined (`authorization`) or it failed (`failed`, e.g. an ON_HOLD payment Dintero then refused), often
 * without a transaction. Nothing is recorded or moved: the cart stays open for the customer to pay again.
 * It is answered 200 (a 4xx would be final, a 5xx retried for nothing) and logged with what a merchant needs
 * to find the attempt in Dintero's Backoffice. The query's values are only logged, quoted, never acted on.
 */
export const logCallbackFailureStep = createStep(
  "log-dintero-callback-failure",
  async (input: { result: WebhookActionResult; query: string }, { container }) => {
    const query = new URLSearchParams(input.query)
    const quoted = (name: string) => JSON.stringify((query.get(name) ?? "").slice(0, 200))
    const facts = (input.result.data as { dintero?: { transaction_id: string; status: string } } | undefined)?.dintero
    const transaction = facts ? `transaction ${facts.transaction_id} is ${facts.status}` : "no transaction was created"
    container
      .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
      .info(
        `Dintero: payment not completed (error ${quoted("error")}, session ${quoted("session_id") !== '""' ? quoted("session_id") : quoted("sid")}, ` +
          `merchant_reference ${quoted("merchant_reference")}): ${transaction}; nothing recorded.`
      )
    return new StepResponse({ error: query.get("error")?.slice(0, 50) ?? null })
  }
)

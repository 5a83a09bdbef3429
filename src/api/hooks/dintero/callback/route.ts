import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { handleDinteroCallbackWorkflow, withCallbackScope } from "../../../../workflows/handle-dintero-callback"

/**
 * Dintero's session callback (docs /docs/checkout/after-payment): a GET with the transaction in the query,
 * signed over the URL. Medusa's own /hooks/payment route is POST-only and drops the query, hence this
 * route. Status codes steer Dintero's retries: 2xx handled, 5xx try again later, 4xx never retry.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  await handle(req, res, "GET")
}

/** The `method=POST` variant carries the Transaction as the body; the URL and its signature are the same. */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  await handle(req, res, "POST")
}

async function handle(req: MedusaRequest, res: MedusaResponse, method: "GET" | "POST") {
  const body = req.body as { id?: unknown } | undefined
  try {
    const { result } = await withCallbackScope(() =>
      handleDinteroCallbackWorkflow(req.scope).run({
        input: {
          method,
          query: req.originalUrl.split("?")[1] ?? "",
          bodyTransactionId: method === "POST" && typeof body?.id === "string" ? body.id : undefined,
          signature: typeof req.headers["dintero-signature"] === "string" ? req.headers["dintero-signature"] : undefined,
        },
        throwOnError: true,
      })
    )
    res.status(200).json(result)
  } catch (error) {
    const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
    const refusal = refusalStatus(error)
    if (refusal) {
      logger.warn(`Dintero callback refused with ${refusal}: ${(error as Error).message}`)
      res.status(refusal).json({ message: (error as Error).message })
      return
    }
    // Whatever else went wrong, the payment may be authorized without its order: Dintero must retry.
    logger.error(`Dintero callback failed, answering 503 so that Dintero retries: ${(error as Error).message}`)
    res.status(503).json({ message: "The callback could not be handled now; retry later." })
  }
}

/**
 * The only final answers, both from the provider before anything moved: a callback that is not Dintero's
 * (401) and a transaction Dintero does not know (404). Failures after that are reported as UNEXPECTED_STATE.
 */
function refusalStatus(error: unknown): 401 | 404 | undefined {
  switch ((error as MedusaError | undefined)?.type) {
    case MedusaError.Types.UNAUTHORIZED:
      return 401
    case MedusaError.Types.NOT_FOUND:
      return 404
    default:
      return undefined
  }
}

import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { handleDinteroCallbackWorkflow } from "../../../../workflows/handle-dintero-callback"

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
  const query = new URLSearchParams(req.originalUrl.split("?")[1] ?? "")
  const { result } = await handleDinteroCallbackWorkflow(req.scope).run({
    input: {
      method,
      query: req.originalUrl.split("?")[1] ?? "",
      transactionId: query.get("transaction_id") ?? (req.body as { id?: string } | undefined)?.id,
      signature: typeof req.headers["dintero-signature"] === "string" ? req.headers["dintero-signature"] : undefined,
    },
    throwOnError: true,
  })
  res.status(200).json(result)
}

import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { subscriptionOverviewWorkflow } from "../../../../workflows/subscriptions"

/**
 * GET /admin/subscriptions/overview: active, past_due, paused, canceled this month (UTC), and monthly
 * recurring revenue per currency in minor units (yearly plans count a twelfth of their price, each
 * subscription rounded half up once; modules/subscription/revenue.ts).
 */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await subscriptionOverviewWorkflow(req.scope).run({ input: {} })
  res.json({ overview: result })
}

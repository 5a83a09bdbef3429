import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createSubscriptionWorkflow } from "../../../workflows/subscriptions"
import { ADMIN_SUBSCRIPTION_FIELDS, ADMIN_SUBSCRIPTION_LIST_FIELDS, adminSubscriptionFilters, querySubscription } from "./query"
import { AdminListSubscriptions, type AdminCreateSubscriptionType } from "./validators"

/** GET /admin/subscriptions?status=&customer_id=&q=&due_before=&order=&limit=&offset= */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const parsed = AdminListSubscriptions.safeParse(req.query)
  if (!parsed.success) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "))
  }
  const { order, limit, offset } = parsed.data
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const field = order.replace(/^-/, "")
  const { data, metadata } = await query.graph({
    entity: "subscription",
    fields: ADMIN_SUBSCRIPTION_LIST_FIELDS,
    filters: await adminSubscriptionFilters(req.scope, parsed.data),
    // The id breaks ties, so a page boundary never repeats or skips a row.
    pagination: { skip: offset, take: limit, order: { [field]: order.startsWith("-") ? "DESC" : "ASC", id: "ASC" } },
  })
  res.json({ subscriptions: data, count: metadata?.count ?? data.length, limit, offset })
}

/** POST /admin/subscriptions: a subscription for an existing customer with a saved card. */
export async function POST(req: AuthenticatedMedusaRequest<AdminCreateSubscriptionType>, res: MedusaResponse) {
  const { result } = await createSubscriptionWorkflow(req.scope).run({ input: req.validatedBody })
  res.status(201).json({ subscription: await querySubscription(req.scope, result.id, ADMIN_SUBSCRIPTION_FIELDS) })
}

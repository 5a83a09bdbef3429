import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { addSubscriptionItemToCartWorkflow } from "../../../../../workflows/subscriptions"
import type { StoreAddSubscriptionItemType } from "../../validators"

/**
 * POST /store/carts/:id/subscription-items { variant_id, quantity }: the variant with the merchant's plan
 * (and trial price). The storefront names no plan, trial or price: they come from the product's metadata.
 */
export async function POST(req: MedusaRequest<StoreAddSubscriptionItemType>, res: MedusaResponse) {
  await addSubscriptionItemToCartWorkflow(req.scope).run({ input: { cart_id: req.params.id, ...req.validatedBody } })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id", "currency_code", "total", "item_total", "items.id", "items.variant_id", "items.quantity", "items.unit_price", "items.metadata", "items.is_custom_price"],
    filters: { id: req.params.id },
  })
  res.json({ cart: data[0] })
}

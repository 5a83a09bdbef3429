import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { deleteSavedCardWorkflow, describeSavedCardsWorkflow } from "../../../../../../workflows/saved-cards"
import type { AdminDeleteSavedCardQuery } from "../validators"

/** GET /admin/customers/:id/dintero-payment-methods/:card_id: one saved card, as in the list (the delete preview). */
export async function GET(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { result } = await describeSavedCardsWorkflow(req.scope).run({
    input: { customer_id: req.params.id, card_id: req.params.card_id },
  })
  res.json({ payment_method: result[0] })
}

/**
 * DELETE /admin/customers/:id/dintero-payment-methods/:card_id(?confirm=true): forgets the card through the
 * saved-cards workflow. While live subscriptions pay with it and `confirm` is not given, nothing changes and
 * the answer is 409 with those subscriptions, for the merchant to confirm leaving them without a card.
 */
export async function DELETE(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const { confirm } = req.validatedQuery as unknown as AdminDeleteSavedCardQuery
  const { result } = await deleteSavedCardWorkflow(req.scope).run({
    input: { customer_id: req.params.id, card_id: req.params.card_id, when_subscriptions_use_it: confirm ? "delete" : "refuse" },
  })
  if (!result.deleted) {
    const ids = result.subscriptions.map((subscription) => subscription.id).join(", ")
    const count = result.subscriptions.length === 1 ? "1 subscription" : `${result.subscriptions.length} subscriptions`
    const name = [result.card.brand, result.card.masked_pan].filter(Boolean).join(" ") || result.card.id
    res.status(409).json({
      type: "conflict",
      message: `Saved card ${name} pays ${count} (${ids}): deleting it leaves them without a card. Confirm to delete it anyway.`,
      subscriptions: result.subscriptions,
    })
    return
  }
  res.json({ id: result.id, object: "payment_method", deleted: true, subscriptions_without_card: result.subscriptions })
}

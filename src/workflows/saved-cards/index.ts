import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { deleteSavedCardStep } from "./steps/delete-saved-card"
import { findDinteroAccountHolderStep } from "./steps/find-dintero-account-holder"
import { listSavedCardsStep } from "./steps/list-saved-cards"

/** A customer's saved Dintero cards, masked: no token, sealed or not, ever leaves through this. */
export const listSavedCardsWorkflow = createWorkflow("list-dintero-saved-cards", (input: { customer_id: string }) => {
  const holder = findDinteroAccountHolderStep(input)
  return new WorkflowResponse(listSavedCardsStep(holder))
})

export const deleteSavedCardWorkflow = createWorkflow(
  "delete-dintero-saved-card",
  (input: { customer_id: string; card_id: string }) => {
    const holder = findDinteroAccountHolderStep({ customer_id: input.customer_id })
    return new WorkflowResponse(deleteSavedCardStep({ holder, card_id: input.card_id }))
  }
)

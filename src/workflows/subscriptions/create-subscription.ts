import { createRemoteLinkStep, emitEventStep } from "@medusajs/medusa/core-flows"
import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { SUBSCRIPTION_MODULE } from "../../modules/subscription"
import { SubscriptionEvents } from "./events"
import { createSubscriptionsStep } from "./steps/create-subscriptions"
import { prepareAdminSubscriptionStep, type AdminSubscriptionInput } from "./steps/prepare-admin-subscription"

export const createSubscriptionWorkflowId = "create-dintero-subscription"

/** A subscription an admin sets up for an existing customer with a saved card. */
export const createSubscriptionWorkflow = createWorkflow(createSubscriptionWorkflowId, (input: AdminSubscriptionInput) => {
  const prepared = prepareAdminSubscriptionStep(input)
  const created = transform({ rows: createSubscriptionsStep(prepared) }, ({ rows }) => rows[0])
  createRemoteLinkStep(
    transform({ created }, ({ created }) => [
      { [SUBSCRIPTION_MODULE]: { subscription_id: created.id }, [Modules.CUSTOMER]: { customer_id: created.customer_id } },
    ])
  )
  emitEventStep({ eventName: SubscriptionEvents.CREATED, data: transform({ created }, ({ created }) => ({ id: created.id })) })
  return new WorkflowResponse(created)
})

import { acquireLockStep, createRemoteLinkStep, emitEventStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import type { LinkDefinition } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { SUBSCRIPTION_MODULE } from "../../modules/subscription"
import { SubscriptionEvents } from "./events"
import { createSubscriptionsStep } from "./steps/create-subscriptions"
import { prepareSubscriptionsFromOrderStep } from "./steps/prepare-subscriptions-from-order"

export const createSubscriptionsFromOrderWorkflowId = "create-subscriptions-from-order"

/**
 * Starts the subscriptions a placed order asks for (run by the order.placed subscriber). The first period
 * was paid by the order itself; the first renewal is at the end of it. Locked per order and idempotent, so
 * a repeated order.placed event creates nothing twice.
 */
export const createSubscriptionsFromOrderWorkflow = createWorkflow(
  createSubscriptionsFromOrderWorkflowId,
  (input: { order_id: string }) => {
    const lockKey = transform({ input }, ({ input }) => `dintero-subscription-order:${input.order_id}`)
    acquireLockStep({ key: lockKey, timeout: 30, ttl: 120 })
    const prepared = prepareSubscriptionsFromOrderStep(input)
    const created = createSubscriptionsStep(prepared.subscriptions)
    createRemoteLinkStep(
      transform({ created }, ({ created }) =>
        created.flatMap((subscription): LinkDefinition[] => [
          { [SUBSCRIPTION_MODULE]: { subscription_id: subscription.id }, [Modules.CUSTOMER]: { customer_id: subscription.customer_id } },
          { [SUBSCRIPTION_MODULE]: { subscription_id: subscription.id }, [Modules.ORDER]: { order_id: subscription.source_order_id! } },
        ])
      )
    )
    emitEventStep({
      eventName: SubscriptionEvents.CREATED,
      data: transform({ created }, ({ created }) => created.map((subscription) => ({ id: subscription.id }))),
    })
    releaseLockStep({ key: lockKey })
    return new WorkflowResponse({ subscriptions: created, skipped: prepared.skipped })
  }
)

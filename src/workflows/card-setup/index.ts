import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { completeCardSetupStep, type CompleteCardSetupInput } from "./steps/complete-card-setup"
import { describeCardUpdateLinkStep } from "./steps/describe-card-update-link"
import { ensureAccountHolderStep } from "./steps/ensure-account-holder"
import { findCardUpdateLinkStep } from "./steps/find-card-update-link"
import { issueCardUpdateLinkStep, type IssueCardUpdateLinkInput } from "./steps/issue-card-update-link"
import { openCardSetupStep } from "./steps/open-card-setup"
import { resolveCardSetupTargetStep, type CardSetupTargetInput } from "./steps/resolve-card-setup-target"
import { retryPastDueSubscriptionsStep } from "./steps/retry-past-due-subscriptions"

export type { CardSetupResult, CardSetupSubscription, CompleteCardSetupInput } from "./steps/complete-card-setup"
export type { IssueCardUpdateLinkInput, IssuedCardUpdateLink } from "./steps/issue-card-update-link"
export type { OpenedCardSetup } from "./steps/open-card-setup"

export type StartCardSetupInput = CardSetupTargetInput & {
  /** A card product (dintero_psp/payex/bambora creditcard); the provider's own when omitted. */
  payment_product_type?: string
  /** Where Dintero sends the payer back; only a page of the configured storefront origin is used. */
  return_url?: string
}

/**
 * Starts saving a card without a purchase, for a logged-in customer or through a card-update link: which
 * customer and subscriptions (their own only), the customer's Dintero account holder (created at the first
 * card), then Dintero's zero-amount token session. Answers what the hosted page or the Web SDK needs.
 */
export const startCardSetupWorkflow = createWorkflow("start-dintero-card-setup", (input: StartCardSetupInput) => {
  const target = resolveCardSetupTargetStep(input)
  const customer = ensureAccountHolderStep(
    transform({ target, input }, ({ target, input }) => ({ customer_id: target.customer_id, provider_id: target.provider_id }))
  )
  const opened = openCardSetupStep(
    transform({ target, customer, input }, ({ target, customer, input }) => ({
      target,
      customer,
      provider_id: target.provider_id,
      payment_product_type: input.payment_product_type,
      return_url: input.return_url,
    }))
  )
  return new WorkflowResponse(opened)
})

/** Callback and return may arrive together, and Dintero repeats callbacks: one completion per setup at a time. */
const LOCK_TIMEOUT_SECONDS = 30
const LOCK_TTL_SECONDS = 120

/**
 * Completes a card setup when Dintero confirms it, from its signed callback (handle-dintero-callback, kind
 * `card_setup`) or the customer's return (store routes), whichever comes first; later calls answer what the
 * first did. Saves the card as at checkout, gives it to the subscriptions asked for, and charges a past_due
 * one again at once with the new card. Nothing is charged for the card itself and no Medusa payment or order
 * is created.
 */
export const completeCardSetupWorkflow = createWorkflow("complete-dintero-card-setup", (input: CompleteCardSetupInput) => {
  const key = transform({ input }, ({ input }) => `dintero-card-setup:${input.id}`)
  acquireLockStep({ key, timeout: LOCK_TIMEOUT_SECONDS, ttl: LOCK_TTL_SECONDS })
  const completed = completeCardSetupStep(input)
  const retried = retryPastDueSubscriptionsStep(transform({ completed }, ({ completed }) => ({ subscription_ids: completed.retry })))
  releaseLockStep({ key })
  return new WorkflowResponse(
    transform({ completed, retried }, ({ completed, retried }) => ({
      ...completed.result,
      subscriptions: completed.result.subscriptions.map((subscription) => {
        const retry = retried.find((r) => r.id === subscription.id)
        return retry ? { ...subscription, retry_outcome: retry.outcome } : subscription
      }),
    }))
  )
})

/**
 * A signed, expiring, single-use card-update link for one subscription, for emails (e.g. a payment-failed
 * notice): `{ url, expires_at }`. Following it needs no login; it is bound to the subscription and its customer.
 */
export const issueCardUpdateLinkWorkflow = createWorkflow("issue-card-update-link", (input: IssueCardUpdateLinkInput) => {
  return new WorkflowResponse(issueCardUpdateLinkStep(input))
})

/** What a card-update link's page shows (404 for a token that is no link, 400 for an expired, used or revoked one). */
export const describeCardUpdateLinkWorkflow = createWorkflow("describe-card-update-link", (input: { token: string }) => {
  const link = findCardUpdateLinkStep(input)
  return new WorkflowResponse(describeCardUpdateLinkStep(link))
})

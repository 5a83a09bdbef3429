import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { cardSetupOutcome } from "../../../providers/dintero/card-setup"
import { toMedusaError } from "../../../providers/dintero/errors"
import { dinteroAccess } from "../../reconcile-dintero-payments/dintero-access"
import { findAccountHolder, subscriptionModule } from "../../subscriptions/helpers"
import { changeSubscriptionCardWorkflow } from "../../subscriptions/update-subscription-lifecycle"
import { hashCardUpdateToken } from "../card-update-token"
import { refuseUnusable, type CardUpdateLinkRecord } from "./find-card-update-link"
import { REPLACEABLE } from "./resolve-card-setup-target"

export type CardSetupSubscription = {
  id: string
  /** The new card now pays it. */
  attached: boolean
  /** It was past_due: it is charged again at once, with the new card. */
  retry: boolean
  /** Why it was not given the card. */
  reason?: string
}

export type CardSetupResult = {
  id: string
  status: "open" | "completed" | "declined"
  /** The saved card's public half (brand, masked PAN, expiry); never a token. */
  card: Record<string, unknown> | null
  subscriptions: CardSetupSubscription[]
}

export type CompleteCardSetupInput = {
  id: string
  /** The logged-in customer completing their own setup (store route). */
  customer_id?: string
  /** Or the card-update link's token the setup was started with. */
  link_token?: string
}

type CardSetupRecord = {
  id: string
  customer_id: string
  provider_id: string
  dintero_session_id: string | null
  status: CardSetupResult["status"]
  subscription_ids: string[]
  all_subscriptions: boolean
  link_id: string | null
  result: CardSetupResult | null
}

/**
 * Completes a card setup from what Dintero says, once: runs under the setup's lock (complete-card-setup
 * workflow), and a setup already completed answers what it did then. The transaction is read from the
 * setup's own Dintero session, never taken from the caller. The card is saved through the payment module's
 * createPaymentMethods, i.e. the provider's savePaymentMethod, exactly as a card saved at checkout (sealed,
 * deduplicated, under the holder lock). Then it replaces the card of the subscriptions asked for, through
 * changeSubscriptionCardWorkflow (the customer's own, not ended; a past_due one becomes due now).
 */
export const completeCardSetupStep = createStep(
  "complete-dintero-card-setup",
  async (input: CompleteCardSetupInput, { container }) => {
    const service = subscriptionModule(container)
    const [setup] = (await service.listCardSetups({ id: input.id })) as unknown as CardSetupRecord[]
    if (!setup || (input.customer_id && setup.customer_id !== input.customer_id)) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card setup ${input.id} was not found.`)
    }
    if (input.link_token) {
      const [link] = await service.listCardUpdateLinks({ token_hash: hashCardUpdateToken(input.link_token) })
      if (!link || setup.link_id !== link.id) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Card setup ${input.id} was not found.`)
      }
    }
    const nothingNew = (result: CardSetupResult) => new StepResponse({ result, retry: [] as string[] })
    if (setup.status !== "open") {
      return nothingNew(setup.result ?? { id: setup.id, status: setup.status, card: null, subscriptions: [] })
    }
    const open: CardSetupResult = { id: setup.id, status: "open", card: null, subscriptions: [] }
    const { client } = dinteroAccess(container, setup.provider_id)
    let transaction
    try {
      const session = setup.dintero_session_id ? await client.getSession(setup.dintero_session_id) : undefined
      if (!session?.transaction_id) {
        return nothingNew(open)
      }
      transaction = await client.getTransaction(session.transaction_id)
    } catch (error) {
      throw toMedusaError(error, `read the Dintero session of card setup ${setup.id}`)
    }
    const outcome = cardSetupOutcome(transaction, setup)
    if (outcome === "foreign") {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Dintero transaction ${transaction.id} is not the one of card setup ${setup.id}.`)
    }
    if (outcome === "declined") {
      const declined: CardSetupResult = { ...open, status: "declined" }
      await service.updateCardSetups({ id: setup.id, status: "declined", transaction_id: transaction.id, result: declined as any, completed_at: new Date() })
      return nothingNew(declined)
    }

    const holder = await findAccountHolder(container, setup.customer_id, setup.provider_id)
    if (!holder) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `The customer of card setup ${setup.id} has no Dintero account holder.`)
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    const saved = await paymentModule.createPaymentMethods({
      provider_id: setup.provider_id,
      data: { transaction_id: transaction.id },
      context: { account_holder: holder as any, customer: { id: setup.customer_id } as any },
    })

    const subscriptions = setup.link_id
      ? await attachThroughLink(container, setup, saved.id)
      : await attach(container, setup.customer_id, await targetsOf(container, setup), saved.id)
    const result: CardSetupResult = { id: setup.id, status: "completed", card: { ...(saved.data ?? {}), id: saved.id }, subscriptions }
    await service.updateCardSetups({
      id: setup.id,
      status: "completed",
      transaction_id: transaction.id,
      card_id: saved.id,
      result: result as any,
      completed_at: new Date(),
    })
    return new StepResponse({ result, retry: subscriptions.filter((s) => s.attached && s.retry).map((s) => s.id) })
  }
)

async function targetsOf(container: { resolve(key: string): any }, setup: CardSetupRecord): Promise<string[]> {
  if (!setup.all_subscriptions) {
    return setup.subscription_ids ?? []
  }
  const live = await subscriptionModule(container).listSubscriptions({ customer_id: setup.customer_id, status: REPLACEABLE as any })
  return live.map((subscription) => subscription.id)
}

async function attach(container: any, customerId: string, ids: string[], cardId: string): Promise<CardSetupSubscription[]> {
  const attached: CardSetupSubscription[] = []
  for (const id of ids) {
    const [before] = await subscriptionModule(container).listSubscriptions({ id, customer_id: customerId })
    try {
      await changeSubscriptionCardWorkflow(container).run({ input: { id, customer_id: customerId, card_id: cardId } })
      attached.push({ id, attached: true, retry: before?.status === "past_due" })
    } catch (error) {
      attached.push({ id, attached: false, retry: false, reason: (error as Error).message })
    }
  }
  return attached
}

/**
 * Through a card-update link the card goes to the link's subscription, and the link is used up, once: under
 * the link's lock its state is read again, so of two setups completing at once through one link only the first
 * attaches its card (the other card stays saved on the customer's account, unattached).
 */
async function attachThroughLink(container: any, setup: CardSetupRecord, cardId: string): Promise<CardSetupSubscription[]> {
  const service = subscriptionModule(container)
  const locking = container.resolve(Modules.LOCKING)
  return locking.execute(`dintero-card-update-link:${setup.link_id}`, async () => {
    const [link] = (await service.listCardUpdateLinks({ id: setup.link_id! })) as CardUpdateLinkRecord[]
    try {
      refuseUnusable(link)
    } catch (error) {
      return [{ id: link.subscription_id, attached: false, retry: false, reason: (error as Error).message }]
    }
    const attached = await attach(container, link.customer_id, [link.subscription_id], cardId)
    if (attached[0]?.attached) {
      await service.updateCardUpdateLinks({ id: link.id, consumed_at: new Date(), consumed_by: setup.id })
    }
    return attached
  })
}

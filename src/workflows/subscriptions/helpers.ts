import { createHash } from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { SUBSCRIPTION_MODULE, type SubscriptionModuleService } from "../../modules/subscription"
import { blockedCardMessage, type CardBlock } from "../../providers/dintero/card-vault"
import type { SubscriptionState } from "../../modules/subscription/lifecycle"

type Container = Pick<MedusaContainer, "resolve">

export function subscriptionModule(container: Container): SubscriptionModuleService {
  return container.resolve(SUBSCRIPTION_MODULE) as SubscriptionModuleService
}

/** One lock per subscription, shared by the renewal job and every admin or customer change. */
export function subscriptionLockKey(subscriptionId: string): string {
  return `dintero-subscription:${subscriptionId}`
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * The id of the Medusa order for a charge, derived from its merchant_reference (one per period, one per
 * proration): `order_` + 26 Crockford base32 characters of its SHA-256, shaped like Medusa's own ids. The
 * same period always maps to the same order id, so the primary key makes a second order impossible.
 */
export function subscriptionOrderId(merchantReference: string): string {
  const digest = createHash("sha256").update(`dintero-subscription-order:${merchantReference}`).digest()
  let bits = 0
  let value = 0
  let id = ""
  for (const byte of digest) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5 && id.length < 26) {
      id += CROCKFORD[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return `order_${id}`
}

export type AccountHolder = { id: string; provider_id: string; data: Record<string, unknown> }

/** The customer's account holder for the card provider, where their saved cards are. */
export async function findAccountHolder(container: Container, customerId: string, providerId: string): Promise<AccountHolder | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "customer",
    fields: ["id", "account_holders.id", "account_holders.provider_id", "account_holders.data"],
    filters: { id: customerId },
  })
  const holders = ((data[0] as any)?.account_holders ?? []) as Array<AccountHolder | null>
  return holders.find((holder) => holder?.provider_id === providerId) ?? null
}

export type SavedCard = {
  id: string
  created_at?: string
  expired?: boolean
  source_transaction_id?: string
  masked_pan?: string | null
  /** Dintero declined a charge of this card with DO_NOT_RETRY: never charged without the customer again. */
  blocked?: CardBlock | null
}

/** The customer's saved cards as the provider lists them (masked; tokens never leave the provider). */
export async function listSavedCards(container: Container, holder: AccountHolder | null): Promise<SavedCard[]> {
  if (!holder) {
    return []
  }
  const paymentModule = container.resolve(Modules.PAYMENT)
  const methods = await paymentModule.listPaymentMethods({ provider_id: holder.provider_id, context: { account_holder: holder as any } })
  return methods.map((method) => ({ ...(method.data as Record<string, unknown>), id: method.id }) as SavedCard)
}

const asDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)))

/** A stored subscription (or its serialized form from a previous step) as the lifecycle rules see it. */
export function toState(record: Record<string, any>): SubscriptionState {
  return {
    id: record.id,
    status: record.status,
    interval: record.interval,
    interval_count: Number(record.interval_count),
    anchor_day: Number(record.anchor_day),
    current_period_start: asDate(record.current_period_start),
    current_period_end: asDate(record.current_period_end),
    next_charge_at: record.next_charge_at ? asDate(record.next_charge_at) : null,
    cancel_at_period_end: Boolean(record.cancel_at_period_end),
    card_id: record.card_id,
    skipped_periods: Array.isArray(record.skipped_periods) ? (record.skipped_periods as string[]) : [],
  }
}

export function nowFrom(value: string | Date | undefined): Date {
  return value ? asDate(value) : new Date()
}

/** A card the customer saved with the provider and that can still be charged without them. */
export async function assertCustomerCard(container: Container, customerId: string, cardId: string, providerId: string): Promise<SavedCard> {
  const card = await findCustomerCard(container, customerId, cardId, providerId)
  if (!card) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${cardId} was not found for this customer.`)
  }
  assertNotBlocked(card)
  if (card.expired) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Saved card ${card.masked_pan ?? cardId} has expired; choose another card.`)
  }
  return card
}

export async function findCustomerCard(container: Container, customerId: string, cardId: string, providerId: string): Promise<SavedCard | undefined> {
  return (await listSavedCards(container, await findAccountHolder(container, customerId, providerId))).find((saved) => saved.id === cardId)
}

/** Refuses, before any money moves, a card Dintero declined with DO_NOT_RETRY (the answer says why). */
export function assertNotBlocked(card: SavedCard | undefined): void {
  if (card?.blocked) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, blockedCardMessage({ id: card.id, masked_pan: card.masked_pan ?? null, blocked: card.blocked }))
  }
}

/** The fields of an address worth copying to a renewal order (no ids or timestamps of the source row). */
export function copyAddress(address: Record<string, any> | null | undefined): Record<string, unknown> | null {
  if (!address) {
    return null
  }
  const fields = ["first_name", "last_name", "company", "address_1", "address_2", "city", "country_code", "province", "postal_code", "phone"]
  return Object.fromEntries(fields.filter((field) => address[field] != null).map((field) => [field, address[field]]))
}

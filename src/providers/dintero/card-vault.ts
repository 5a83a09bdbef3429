import { randomUUID } from "node:crypto"
import { MedusaError } from "@medusajs/framework/utils"
import { openToken, sealToken, type CardPaymentProductType, type Transaction } from "../../lib/dintero"

/**
 * Saved cards live on the customer's Medusa account holder for this provider (`account_holder.data.cards`).
 * Medusa copies the account holder into payment-session context, which the store cart API returns, so the
 * tokens are only ever stored sealed (AES-256-GCM, bound to the account holder id) and never leave this
 * file in clear except towards Dintero.
 */
export type SavedCard = {
  id: string
  payment_product_type: CardPaymentProductType
  brand: string | null
  masked_pan: string | null
  /** MM/YYYY, as Dintero reports it. */
  expiry_date: string | null
  token_types: Array<"payment_token" | "recurrence_token">
  payment_token_id: string | null
  recurrence_token_id: string | null
  source_transaction_id: string
  created_at: string
  sealed_tokens: string
  /**
   * Set when Dintero declined a merchant-initiated charge of this card with retry code DO_NOT_RETRY (the
   * issuer says: never retry this card). From then on it is never charged without the customer again, by
   * any subscription, job or admin action; see tokensFor.
   */
  blocked?: CardBlock | null
  /** The customer paid with this very card (same token) at a checkout after it was blocked. */
  reauthorized?: { at: string; transaction_id: string } | null
}

export type CardBlock = { code: "DO_NOT_RETRY"; at: string; transaction_id: string | null; message?: string | null }

/** MedusaError code of a refusal to charge a blocked card (callers map it to DO_NOT_RETRY). */
export const CARD_BLOCKED_CODE = "dintero_card_blocked"

/** The sentence the store and admin see for a blocked card. */
export function blockedCardMessage(card: Pick<SavedCard, "id" | "masked_pan" | "blocked">): string {
  const when = card.blocked?.at ? ` on ${card.blocked.at.slice(0, 10)}` : ""
  return (
    `Saved card ${card.masked_pan ?? card.id} was declined by Dintero with DO_NOT_RETRY${when}; it will not be charged ` +
    "without the customer again. The customer needs to save a new card."
  )
}

export type CardTokens = { payment_token?: string; recurrence_token?: string }

/** What a customer or merchant may see of a saved card. */
export type PublicCard = Omit<SavedCard, "sealed_tokens" | "payment_token_id" | "recurrence_token_id"> & { expired: boolean }

type AccountHolderStore = {
  retrieve(id: string, config?: object): Promise<{ id: string; data?: Record<string, unknown> | null }>
  update(data: { id: string; data: Record<string, unknown> }): Promise<unknown>
}

type Locking = { execute<T>(key: string, job: () => Promise<T>): Promise<T> }

export class CardVault {
  constructor(
    private readonly accountHolders: AccountHolderStore,
    private readonly key: Buffer | undefined,
    private readonly locking?: () => Locking | undefined
  ) {}

  async cards(accountHolderId: string): Promise<SavedCard[]> {
    const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
    return cardsOf(holder.data)
  }

  /**
   * Saves the card a transaction was paid with. Safe to call twice for the same transaction (callback and
   * cart completion may both get here): the second call returns the card saved by the first.
   */
  async saveFromTransaction(accountHolderId: string, transaction: Transaction): Promise<SavedCard | undefined> {
    const card = transaction.card
    const tokens: CardTokens = {
      ...(card?.payment_token ? { payment_token: card.payment_token } : {}),
      ...(card?.recurrence_token ? { recurrence_token: card.recurrence_token } : {}),
    }
    if (!card || !Object.keys(tokens).length) {
      return undefined
    }
    return this.withHolderLock(accountHolderId, async () => {
      const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
      const existing = cardsOf(holder.data)
      const known = existing.find(
        (saved) =>
          saved.source_transaction_id === transaction.id ||
          (card.payment_token_id && saved.payment_token_id === card.payment_token_id)
      )
      if (known) {
        if (known.blocked && this.reauthorizes(known, transaction)) {
          // The customer entered this very card again at a checkout and Dintero authorized it: the
          // customer has re-authorized the card, so its earlier DO_NOT_RETRY no longer holds.
          const lifted: SavedCard = { ...known, blocked: null, reauthorized: { at: new Date().toISOString(), transaction_id: transaction.id } }
          await this.accountHolders.update({
            id: accountHolderId,
            data: { ...(holder.data ?? {}), cards: existing.map((saved) => (saved.id === known.id ? lifted : saved)) },
          })
          return lifted
        }
        return known
      }
      const saved: SavedCard = {
        id: `dcard_${randomUUID().replace(/-/g, "")}`,
        payment_product_type: (transaction.payment_product_type ?? "dintero_psp.creditcard") as CardPaymentProductType,
        brand: card.brand ?? null,
        masked_pan: card.masked_pan ?? null,
        expiry_date: card.expiry_date ?? null,
        token_types: Object.keys(tokens) as SavedCard["token_types"],
        payment_token_id: card.payment_token_id ?? null,
        recurrence_token_id: card.recurrence_token_id ?? null,
        source_transaction_id: transaction.id,
        created_at: new Date().toISOString(),
        sealed_tokens: sealToken(this.requireKey(), JSON.stringify(tokens), accountHolderId),
      }
      await this.accountHolders.update({ id: accountHolderId, data: { ...(holder.data ?? {}), cards: [...existing, saved] } })
      return saved
    })
  }

  async remove(accountHolderId: string, cardId: string): Promise<boolean> {
    return this.withHolderLock(accountHolderId, async () => {
      const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
      const existing = cardsOf(holder.data)
      const remaining = existing.filter((card) => card.id !== cardId)
      if (remaining.length === existing.length) {
        return false
      }
      await this.accountHolders.update({ id: accountHolderId, data: { ...(holder.data ?? {}), cards: remaining } })
      return true
    })
  }

  /**
   * Records Dintero's DO_NOT_RETRY for a card (from the declined merchant-initiated charge). The card stays
   * listed, with the reason, so the customer and the merchant see why it is no longer charged.
   */
  async block(accountHolderId: string, cardId: string, block: CardBlock): Promise<void> {
    await this.withHolderLock(accountHolderId, async () => {
      const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
      const existing = cardsOf(holder.data)
      if (!existing.some((card) => card.id === cardId)) {
        return
      }
      const cards = existing.map((card) => (card.id === cardId ? { ...card, blocked: block, reauthorized: null } : card))
      await this.accountHolders.update({ id: accountHolderId, data: { ...(holder.data ?? {}), cards } })
    })
  }

  /**
   * The tokens of a card that belongs to this account holder and has not expired. For a charge without the
   * customer (`merchantInitiated`), a card Dintero declined with DO_NOT_RETRY is refused here, before any
   * request to Dintero: this is the one place a merchant-initiated charge gets a card's tokens.
   */
  async tokensFor(
    accountHolderId: string,
    cardId: string,
    now = new Date(),
    use: { merchantInitiated?: boolean } = {}
  ): Promise<{ card: SavedCard; tokens: CardTokens }> {
    const card = (await this.cards(accountHolderId)).find((saved) => saved.id === cardId)
    if (!card) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${cardId} was not found for this customer.`)
    }
    if (use.merchantInitiated && card.blocked) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, blockedCardMessage(card), CARD_BLOCKED_CODE)
    }
    if (isExpired(card, now)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The saved card ${card.masked_pan ?? card.id} expired (${card.expiry_date}); choose another card.`
      )
    }
    try {
      return { card, tokens: JSON.parse(openToken(this.requireKey(), card.sealed_tokens, accountHolderId)) }
    } catch (error) {
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `The saved card ${card.id} cannot be used: ${(error as Error).message}. Was tokenEncryptionKey changed?`
      )
    }
  }

  /**
   * A later, different checkout paid with the blocked card. Not the checkout the card was saved from, nor
   * the declined charge (a late or repeated save of those must not lift the block), nor one made before it.
   */
  private reauthorizes(card: SavedCard, transaction: Transaction): boolean {
    if (transaction.id === card.source_transaction_id || transaction.id === card.blocked?.transaction_id) {
      return false
    }
    const paidAt = transaction.created_at ? Date.parse(transaction.created_at) : NaN
    return Number.isNaN(paidAt) || !card.blocked?.at || paidAt >= Date.parse(card.blocked.at)
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Saving cards is off: set the Dintero provider's saveCards and tokenEncryptionKey options.")
    }
    return this.key
  }

  /** Saving and deleting read, change and write the holder's card list: one writer per holder at a time. */
  private withHolderLock<T>(accountHolderId: string, job: () => Promise<T>): Promise<T> {
    const locking = this.locking?.()
    return locking ? locking.execute(`dintero-cards:${accountHolderId}`, job) : job()
  }
}

export function cardsOf(data: Record<string, unknown> | null | undefined): SavedCard[] {
  return Array.isArray(data?.cards) ? (data!.cards as SavedCard[]) : []
}

export function publicCard(card: SavedCard, now = new Date()): PublicCard {
  const { sealed_tokens, payment_token_id, recurrence_token_id, ...visible } = card
  return { ...visible, expired: isExpired(card, now) }
}

/** A card is valid through the last day of its expiry month. */
export function isExpired(card: Pick<SavedCard, "expiry_date">, now = new Date()): boolean {
  const match = /^(\d{1,2})\/(\d{2}|\d{4})$/.exec(card.expiry_date ?? "")
  if (!match) {
    return false
  }
  const month = Number(match[1])
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2])
  return now.getTime() >= Date.UTC(year, month, 1)
}

import { randomUUID } from "node:crypto"
import { MedusaError } from "@medusajs/framework/utils"
import { openToken, sealToken, type CardPaymentProductType, type Transaction } from "../../lib/dintero"

/**
 * Saved cards. The public half of each (brand, masked PAN, expiry, where it came from) is listed on the
 * customer's Medusa account holder for this provider (`account_holder.data.cards`). The secret half — the
 * Dintero tokens, sealed with AES-256-GCM and bound to the account holder id, and their token ids — is kept
 * in the plugin's own table (modules/dintero-card-vault): Medusa copies the account holder into every
 * payment session's `context`, which the store cart and admin order APIs return, so nothing secret, not even
 * sealed, may be on the holder. Tokens leave this file in clear only towards Dintero.
 */
export type SavedCard = {
  id: string
  payment_product_type: CardPaymentProductType
  brand: string | null
  masked_pan: string | null
  /** MM/YYYY, as Dintero reports it. */
  expiry_date: string | null
  token_types: Array<"payment_token" | "recurrence_token">
  source_transaction_id: string
  created_at: string
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

/** Cards saved by version 0.1 kept their secret half on the holder; it is moved out on the next write. */
type LegacySecrets = { sealed_tokens?: string; payment_token_id?: string | null; recurrence_token_id?: string | null }

export type CardTokens = { payment_token?: string; recurrence_token?: string }

/** What a customer or merchant may see of a saved card. */
export type PublicCard = SavedCard & { expired: boolean }

export type CardCredential = {
  id: string
  account_holder_id: string
  sealed_tokens: string
  payment_token_id: string | null
  recurrence_token_id: string | null
}

type AccountHolderStore = {
  retrieve(id: string, config?: object): Promise<{ id: string; data?: Record<string, unknown> | null }>
  update(data: { id: string; data: Record<string, unknown> }): Promise<unknown>
}

/** The card vault module's data service (modules/dintero-card-vault), as far as the vault uses it. */
export type CredentialStore = {
  listDinteroCardCredentials(filters: Partial<Pick<CardCredential, "id" | "account_holder_id" | "payment_token_id">>): Promise<CardCredential[]>
  createDinteroCardCredentials(data: CardCredential): Promise<unknown>
  deleteDinteroCardCredentials(id: string): Promise<void>
}

type Locking = { execute<T>(key: string, job: () => Promise<T>): Promise<T> }

export class CardVault {
  constructor(
    private readonly accountHolders: AccountHolderStore,
    private readonly key: Buffer | undefined,
    private readonly credentialStore: () => CredentialStore | undefined,
    private readonly locking?: () => Locking | undefined
  ) {}

  async cards(accountHolderId: string): Promise<SavedCard[]> {
    const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
    return cardsOf(holder.data).map(withoutSecrets)
  }

  /**
   * Saves the card a transaction was paid with. Safe to call twice for the same transaction (callback and
   * cart completion may both get here): the second call returns the card saved by the first. The secret
   * half is written first, so a listed card always has its tokens.
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
      const credentials = this.requireCredentialStore()
      const existing = await this.readAndMoveSecrets(accountHolderId)
      const sameToken = card.payment_token_id
        ? await credentials.listDinteroCardCredentials({ account_holder_id: accountHolderId, payment_token_id: card.payment_token_id })
        : []
      const known = existing.find(
        (saved) => saved.source_transaction_id === transaction.id || sameToken.some((credential) => credential.id === saved.id)
      )
      if (known) {
        if (known.blocked && this.reauthorizes(known, transaction)) {
          // The customer entered this very card again at a checkout and Dintero authorized it: the
          // customer has re-authorized the card, so its earlier DO_NOT_RETRY no longer holds.
          const lifted: SavedCard = { ...known, blocked: null, reauthorized: { at: new Date().toISOString(), transaction_id: transaction.id } }
          await this.writeCards(accountHolderId, existing.map((saved) => (saved.id === known.id ? lifted : saved)))
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
        source_transaction_id: transaction.id,
        created_at: new Date().toISOString(),
      }
      await credentials.createDinteroCardCredentials({
        id: saved.id,
        account_holder_id: accountHolderId,
        sealed_tokens: sealToken(this.requireKey(), JSON.stringify(tokens), accountHolderId),
        payment_token_id: card.payment_token_id ?? null,
        recurrence_token_id: card.recurrence_token_id ?? null,
      })
      await this.writeCards(accountHolderId, [...existing, saved])
      return saved
    })
  }

  async remove(accountHolderId: string, cardId: string): Promise<boolean> {
    return this.withHolderLock(accountHolderId, async () => {
      const existing = await this.readAndMoveSecrets(accountHolderId)
      const remaining = existing.filter((card) => card.id !== cardId)
      if (remaining.length === existing.length) {
        return false
      }
      // The listing goes first: a card that is not listed cannot be chosen, even if deleting its tokens fails.
      await this.writeCards(accountHolderId, remaining)
      await this.requireCredentialStore().deleteDinteroCardCredentials(cardId)
      return true
    })
  }

  /**
   * Records Dintero's DO_NOT_RETRY for a card (from the declined merchant-initiated charge). The card stays
   * listed, with the reason, so the customer and the merchant see why it is no longer charged.
   */
  async block(accountHolderId: string, cardId: string, block: CardBlock): Promise<void> {
    await this.withHolderLock(accountHolderId, async () => {
      const existing = await this.readAndMoveSecrets(accountHolderId)
      if (!existing.some((card) => card.id === cardId)) {
        return
      }
      await this.writeCards(
        accountHolderId,
        existing.map((card) => (card.id === cardId ? { ...card, blocked: block, reauthorized: null } : card))
      )
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
    const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
    const stored = cardsOf(holder.data).find((saved) => saved.id === cardId)
    if (!stored) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${cardId} was not found for this customer.`)
    }
    const card = withoutSecrets(stored)
    if (use.merchantInitiated && card.blocked) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, blockedCardMessage(card), CARD_BLOCKED_CODE)
    }
    if (isExpired(card, now)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `The saved card ${card.masked_pan ?? card.id} expired (${card.expiry_date}); choose another card.`
      )
    }
    const [credential] = await this.requireCredentialStore().listDinteroCardCredentials({ id: cardId, account_holder_id: accountHolderId })
    const sealed = credential?.sealed_tokens ?? (stored as LegacySecrets).sealed_tokens
    if (!sealed) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `The saved card ${card.masked_pan ?? card.id} has no tokens any more; choose another card.`)
    }
    try {
      return { card, tokens: JSON.parse(openToken(this.requireKey(), sealed, accountHolderId)) }
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

  /** The holder's cards, with any secret half still stored inline (version 0.1) moved to the credential store. */
  private async readAndMoveSecrets(accountHolderId: string): Promise<SavedCard[]> {
    const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
    const stored = cardsOf(holder.data)
    const inline = stored.filter((card) => (card as LegacySecrets).sealed_tokens)
    if (inline.length) {
      const credentials = this.requireCredentialStore()
      for (const card of inline as Array<SavedCard & LegacySecrets>) {
        const [already] = await credentials.listDinteroCardCredentials({ id: card.id })
        if (!already) {
          await credentials.createDinteroCardCredentials({
            id: card.id,
            account_holder_id: accountHolderId,
            sealed_tokens: card.sealed_tokens!,
            payment_token_id: card.payment_token_id ?? null,
            recurrence_token_id: card.recurrence_token_id ?? null,
          })
        }
      }
      await this.writeCards(accountHolderId, stored.map(withoutSecrets))
    }
    return stored.map(withoutSecrets)
  }

  private async writeCards(accountHolderId: string, cards: SavedCard[]): Promise<void> {
    const holder = await this.accountHolders.retrieve(accountHolderId, { select: ["id", "data"] })
    await this.accountHolders.update({ id: accountHolderId, data: { ...(holder.data ?? {}), cards: cards.map(withoutSecrets) } })
  }

  private requireKey(): Buffer {
    if (!this.key) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Saving cards is off: set the Dintero provider's saveCards and tokenEncryptionKey options.")
    }
    return this.key
  }

  private requireCredentialStore(): CredentialStore {
    const store = this.credentialStore()
    if (!store) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "Saved cards need the plugin's card vault module: register medusa-payment-dintero under `plugins` in medusa-config."
      )
    }
    return store
  }

  /** Saving and deleting read, change and write the holder's card list: one writer per holder at a time. */
  private withHolderLock<T>(accountHolderId: string, job: () => Promise<T>): Promise<T> {
    const locking = this.locking?.()
    return locking ? locking.execute(`dintero-cards:${accountHolderId}`, job) : job()
  }
}

/** The public half of a stored card, whatever else an older version kept beside it. */
function withoutSecrets(card: SavedCard & LegacySecrets): SavedCard {
  const { sealed_tokens, payment_token_id, recurrence_token_id, ...visible } = card
  return visible
}

export function cardsOf(data: Record<string, unknown> | null | undefined): SavedCard[] {
  return Array.isArray(data?.cards) ? (data!.cards as SavedCard[]) : []
}

export function publicCard(card: SavedCard, now = new Date()): PublicCard {
  return { ...withoutSecrets(card), expired: isExpired(card, now) }
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

/**
 * Stored card tokens (reference §3). A session asks for them with
 * `configuration.<provider>.creditcard.generate_payment_token|generate_recurrence_token`; only
 * Swedbank Pay (payex) issues recurrence tokens. Token values are secrets: sessions and
 * transactions only expose token ids unless `includes=card.payment_token` is asked for.
 */
import type { EmulatorContext } from "./context"
import { ApiError } from "./errors"
import { isObject } from "./http"
import { secret, uuid } from "./ids"
import type { JsonObject, SessionTokenRef, TransactionRecord } from "./model"
import type { CardProductType, MitOutcome, StoredToken } from "./types"
import { MIT_OUTCOMES } from "./cards"
import type { Problems } from "./validation"

export const CARD_PRODUCT_TYPES: CardProductType[] = ["dintero_psp.creditcard", "payex.creditcard", "bambora.creditcard"]

export const isCardProductType = (value: unknown): value is CardProductType =>
  CARD_PRODUCT_TYPES.includes(value as CardProductType)

export const invalidToken = (message: string) => new ApiError(400, "INVALID_TOKEN", message)

/** `configuration.payex.creditcard` for `payex.creditcard`, and so on. */
export function productConfig(configuration: JsonObject, productType: CardProductType): JsonObject | undefined {
  const [provider, method] = productType.split(".")
  const block = configuration[provider]
  return isObject(block) && isObject(block[method]) ? block[method] : undefined
}

export function tokenRequestOf(configuration: JsonObject, productType: CardProductType) {
  const config = productConfig(configuration, productType)
  return {
    payment: config?.generate_payment_token === true,
    recurrence: productType === "payex.creditcard" && config?.generate_recurrence_token === true,
  }
}

export function validateTokenConfiguration(p: Problems, configuration: JsonObject): void {
  for (const productType of ["dintero_psp.creditcard", "bambora.creditcard"] as const) {
    if (productConfig(configuration, productType)?.generate_recurrence_token === true) {
      p.add(
        `configuration.${productType}.generate_recurrence_token`,
        "is not supported: only payex.creditcard issues recurrence tokens; use generate_payment_token"
      )
    }
  }
}

/** Checks a token value a merchant sent and returns the stored token, or throws INVALID_TOKEN. */
export function resolveToken(
  ctx: EmulatorContext,
  accountId: string,
  productType: CardProductType,
  field: "payment_token" | "recurrence_token",
  value: unknown
): StoredToken {
  if (typeof value !== "string" || !value) throw invalidToken(`customer.tokens.${productType}.${field} must be a string`)
  const token = [...ctx.state.tokens.values()].find((t) => t.token === value)
  if (!token || token.accountId !== accountId) throw invalidToken(`Unknown ${field} for ${productType}`)
  if (token.status !== "ACTIVE") throw invalidToken(`The ${field} has been revoked`)
  if (token.payment_product_type !== productType) {
    throw invalidToken(`The ${field} belongs to ${token.payment_product_type}, not ${productType}`)
  }
  if (token.type !== field) throw invalidToken(`The token is a ${token.type}, not a ${field}`)
  return token
}

/** Validates `customer.tokens` of a customer-initiated session and keeps only token ids. */
export function resolveSessionTokens(
  ctx: EmulatorContext,
  accountId: string,
  tokens: unknown
): Partial<Record<CardProductType, SessionTokenRef>> {
  const refs: Partial<Record<CardProductType, SessionTokenRef>> = {}
  if (!isObject(tokens)) return refs
  for (const [productType, entry] of Object.entries(tokens)) {
    if (!isCardProductType(productType)) throw invalidToken(`customer.tokens.${productType} is not a card product type`)
    if (!isObject(entry)) throw invalidToken(`customer.tokens.${productType} must be an object`)
    const field = entry.recurrence_token !== undefined ? "recurrence_token" : "payment_token"
    const token = resolveToken(ctx, accountId, productType, field, entry[field])
    refs[productType] = { tokenId: token.id, field }
  }
  return refs
}

function issueToken(
  ctx: EmulatorContext,
  record: TransactionRecord,
  type: StoredToken["type"],
  request: NonNullable<TransactionRecord["tokenRequest"]>
): StoredToken {
  const token: StoredToken = {
    id: uuid(),
    token: secret(24),
    type,
    payment_product_type: record.tx.payment_product_type as CardProductType,
    accountId: record.accountId,
    status: "ACTIVE",
    card: { brand: request.card.brand, masked_pan: request.card.masked_pan, expiry_date: request.card.expiry_date },
    cardBehaviour: request.card.mitBehaviour,
    customer_id: request.customerId,
    transaction_id: record.tx.id,
    created_at: ctx.nowIso(),
    queuedOutcomes: [],
  }
  ctx.state.tokens.set(token.id, token)
  return token
}

/** Creates the tokens the session asked for, once the transaction is authorized. */
export function issueRequestedTokens(ctx: EmulatorContext, record: TransactionRecord, reuse?: StoredToken): void {
  const request = record.tokenRequest
  if (!request || !record.tx.card) return
  if (request.payment) {
    // Paying with a saved card keeps its token rather than minting a second one for the same card.
    const token = reuse?.type === "payment_token" ? reuse : issueToken(ctx, record, "payment_token", request)
    record.tx.card.payment_token_id = token.id
  }
  if (request.recurrence) {
    const token = reuse?.type === "recurrence_token" ? reuse : issueToken(ctx, record, "recurrence_token", request)
    record.tx.card.recurrence_token_id = token.id
  }
  record.tokenRequest = undefined
}

export function findToken(ctx: EmulatorContext, valueOrId: string): StoredToken {
  const token = ctx.state.tokenByValueOrId(valueOrId)
  if (!token) throw new ApiError(404, "NOT_FOUND", "No stored token with that id or value")
  return token
}

export function revokeToken(ctx: EmulatorContext, valueOrId: string): StoredToken {
  const token = findToken(ctx, valueOrId)
  token.status = "REVOKED"
  return token
}

export function setTokenOutcomes(ctx: EmulatorContext, valueOrId: string, outcomes: unknown): StoredToken {
  if (!Array.isArray(outcomes) || outcomes.some((o) => !MIT_OUTCOMES.includes(o as MitOutcome))) {
    throw new ApiError(400, "INVALID_REQUEST", `outcomes must be an array of ${MIT_OUTCOMES.join(", ")}`)
  }
  const token = findToken(ctx, valueOrId)
  token.queuedOutcomes.push(...(outcomes as MitOutcome[]))
  return token
}

/** The next MIT outcome: a queued one first, then the behaviour of the card the token came from. */
export function nextOutcome(token: StoredToken): MitOutcome {
  return token.queuedOutcomes.shift() ?? token.cardBehaviour
}

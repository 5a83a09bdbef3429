/**
 * Test cards of the emulator and the decline answers they produce. Decline details follow the
 * spec's TransactionEvent.error: `type[]`, `result_code` and `retry_policy` (reference §4).
 */
import type { PaymentCard, TransactionEventError } from "./model"
import type { MitOutcome } from "./types"

export type DeclineCode = "DECLINED" | "INSUFFICIENT_FUNDS" | "EXPIRED_CARD" | "RESTRICTED_CARD"

export interface TestCard {
  pan: string
  label: string
  /** What happens in the hosted checkout. */
  checkout: "AUTHORIZED" | "ON_HOLD" | DeclineCode
  /** What later merchant-initiated charges with a token made from the card do. */
  mit: MitOutcome
}

export const TEST_CARDS: TestCard[] = [
  { pan: "4111111111111111", label: "Visa, approved", checkout: "AUTHORIZED", mit: "approve" },
  { pan: "5555555555554444", label: "Mastercard, approved", checkout: "AUTHORIZED", mit: "approve" },
  { pan: "4000000000000002", label: "Declined", checkout: "DECLINED", mit: "approve" },
  { pan: "4000000000009995", label: "Insufficient funds", checkout: "INSUFFICIENT_FUNDS", mit: "approve" },
  { pan: "4000000000000069", label: "Expired card", checkout: "EXPIRED_CARD", mit: "approve" },
  { pan: "4000000000000341", label: "On hold (resolve with the control API)", checkout: "ON_HOLD", mit: "approve" },
  {
    pan: "4000000000003220",
    label: "Approved; later MIT charges fail with insufficient funds (retry after delay)",
    checkout: "AUTHORIZED",
    mit: "insufficient_funds",
  },
  {
    pan: "4000000000000119",
    label: "Approved; later MIT charges fail as restricted card (do not retry)",
    checkout: "AUTHORIZED",
    mit: "do_not_retry",
  },
  {
    pan: "4000000000000127",
    label: "Approved; later MIT charges are declined (retry immediately)",
    checkout: "AUTHORIZED",
    mit: "retry_immediately",
  },
]

/** The MIT outcomes that are declines (not an approval, not a hold for review). */
export type DeclineOutcome = Exclude<MitOutcome, "approve" | "on_hold">

interface DeclineSpec {
  type: DeclineCode
  message: string
  /** ISO 8583 response code, as Visa/Mastercard report it. */
  resultCode: string
  retryCodes: string[]
  retryAfterSeconds?: number
}

const DECLINES: Record<DeclineOutcome, DeclineSpec> = {
  insufficient_funds: {
    type: "INSUFFICIENT_FUNDS",
    message: "Insufficient funds",
    resultCode: "51",
    retryCodes: ["RETRY_AFTER_DELAY"],
    retryAfterSeconds: 86400,
  },
  do_not_retry: {
    type: "RESTRICTED_CARD",
    message: "Restricted card",
    resultCode: "62",
    retryCodes: ["DO_NOT_RETRY"],
  },
  retry_immediately: {
    type: "DECLINED",
    message: "Do not honor",
    resultCode: "05",
    retryCodes: ["RETRY_IMMEDIATELY"],
  },
  expired_card: { type: "EXPIRED_CARD", message: "Expired card", resultCode: "54", retryCodes: ["DO_NOT_RETRY"] },
}

const CHECKOUT_DECLINES: Record<Exclude<DeclineCode, "RESTRICTED_CARD">, DeclineOutcome> = {
  DECLINED: "retry_immediately",
  INSUFFICIENT_FUNDS: "insufficient_funds",
  EXPIRED_CARD: "expired_card",
}

export const MIT_OUTCOMES: MitOutcome[] = ["approve", "on_hold", "insufficient_funds", "do_not_retry", "retry_immediately", "expired_card"]

/**
 * The `events[].error` of a declined authorization. `retry_after` is an ISO 8601 timestamp,
 * as the spec describes it ("ISO 8601 timestamp indicating when to retry").
 */
export function declineError(outcome: DeclineOutcome, now: Date): TransactionEventError {
  const spec = DECLINES[outcome]
  return {
    code: spec.type,
    message: spec.message,
    type: [spec.type],
    result_code: spec.resultCode,
    retry_policy: {
      retry_codes: spec.retryCodes,
      ...(spec.retryAfterSeconds
        ? { retry_after: new Date(now.getTime() + spec.retryAfterSeconds * 1000).toISOString() }
        : {}),
    },
  }
}

export function checkoutDeclineError(code: DeclineCode, now: Date): TransactionEventError {
  return declineError(code === "RESTRICTED_CARD" ? "do_not_retry" : CHECKOUT_DECLINES[code], now)
}

export function luhnValid(pan: string): boolean {
  if (!/^\d{12,19}$/.test(pan)) return false
  let sum = 0
  for (let i = 0; i < pan.length; i++) {
    let digit = Number(pan[pan.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

export function brandOf(pan: string): string {
  if (pan.startsWith("4")) return "Visa"
  if (/^(5[1-5]|2[2-7])/.test(pan)) return "MasterCard"
  if (/^3[47]/.test(pan)) return "American Express"
  return "Unknown"
}

export const maskPan = (pan: string) => `${pan.slice(0, 6)}${"*".repeat(pan.length - 10)}${pan.slice(-4)}`

/** Parses `MM/YY` or `MM/YYYY`; undefined when malformed. */
export function parseExpiry(value: string): { month: number; year: number } | undefined {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value)
  if (!match) return undefined
  const month = Number(match[1])
  const year = match[2].length === 2 ? 2000 + Number(match[2]) : Number(match[2])
  return month >= 1 && month <= 12 ? { month, year } : undefined
}

/** A card is valid through the last day of its expiry month. */
export function isExpired(expiryDate: string, now: Date): boolean {
  const [month, year] = expiryDate.split("/").map(Number)
  return now.getTime() >= Date.UTC(year, month, 1)
}

/**
 * The behaviour of a typed card. Unknown, Luhn-valid numbers are approved (emulator choice).
 */
export function describeCard(pan: string, month: number, year: number): { card: PaymentCard; test: TestCard } {
  const test = TEST_CARDS.find((c) => c.pan === pan) ?? { pan, label: "Other", checkout: "AUTHORIZED", mit: "approve" }
  const card: PaymentCard = {
    brand: brandOf(pan),
    masked_pan: maskPan(pan),
    expiry_date: `${String(month).padStart(2, "0")}/${year}`,
    mitBehaviour: test.mit,
  }
  return { card, test }
}

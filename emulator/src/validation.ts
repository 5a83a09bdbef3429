/**
 * Request validation following Dintero's payments spec (reference §2 and §7):
 * amounts are int32 minor units, currency is ISO-4217, phone numbers are E.123, line_id is unique.
 */
import { badRequest, type ErrorDetail } from "./errors"
import { isObject } from "./http"
import type { SessionOrder } from "./model"

const INT32_MAX = 2 ** 31 - 1
const CURRENCY = /^[A-Z]{3}$/
/** E.123 international format: `+` and the digits, e.g. +4799999999. */
const PHONE_E123 = /^\+\d{7,15}$/
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Collects every problem of a body so one 400 can list them all. */
export class Problems {
  readonly list: ErrorDetail[] = []

  add(path: string, message: string): void {
    this.list.push({ path, message })
  }

  throwIfAny(): void {
    if (!this.list.length) return
    const [first] = this.list
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : ""
    throw badRequest(`${first.path}: ${first.message}${more}`, "INVALID_REQUEST", this.list)
  }
}

export function isUri(value: unknown): value is string {
  if (typeof value !== "string") return false
  try {
    const url = new URL(value)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}

export const isAmount = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= INT32_MAX

function checkAmount(p: Problems, path: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return
  if (value === undefined) return p.add(path, "is required")
  if (!Number.isInteger(value)) return p.add(path, "must be an integer amount in minor units")
  if (!isAmount(value)) p.add(path, "must be between 0 and 2147483647")
}

function checkString(p: Problems, path: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return
  if (typeof value !== "string") return p.add(path, required && value === undefined ? "is required" : "must be a string")
  if (required && !value.trim()) p.add(path, "must not be empty")
}

function checkNumber(p: Problems, path: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "number" || !Number.isFinite(value))) p.add(path, "must be a number")
}

export function validateUrls(p: Problems, url: unknown, requireReturnUrl: boolean): void {
  if (url === undefined && !requireReturnUrl) return
  if (!isObject(url)) return p.add("url", "is required and must be an object")
  if (requireReturnUrl || url.return_url !== undefined) {
    if (url.return_url === undefined) p.add("url.return_url", "is required")
    else if (!isUri(url.return_url)) p.add("url.return_url", "must be an absolute http(s) URI")
  }
  // Dintero only calls HTTPS, non-loopback callback URLs; the emulator also accepts http and loopback.
  if (url.callback_url !== undefined && !isUri(url.callback_url)) {
    p.add("url.callback_url", "must be an absolute http(s) URI")
  }
  if (url.merchant_terms_url !== undefined && !isUri(url.merchant_terms_url)) {
    p.add("url.merchant_terms_url", "must be an absolute http(s) URI")
  }
}

/** OrderItem.type (payments spec). */
const ITEM_TYPES = ["physical", "digital", "service", "gift_card", "shipping", "surcharge"]
/**
 * The item types whose amount may be below zero: a gift card ("usage of a gift card, where the amount is
 * usually a negative number") and a surcharge ("extra incurred costs, like taxes or necessary rounding"),
 * which Dintero's WooCommerce plugin uses for a rounding line in either direction.
 */
const MAY_BE_NEGATIVE = new Set(["gift_card", "surcharge"])
/** DiscountType (payments spec). */
const DISCOUNT_TYPES = ["customer", "periodic", "manual", "loyalty", "total", "employee", "external"]

function checkSignedAmount(p: Problems, path: string, value: unknown): void {
  if (value === undefined) return p.add(path, "is required")
  if (!Number.isInteger(value) || Math.abs(value as number) > INT32_MAX) p.add(path, "must be an integer amount in minor units")
}

/** DiscountItem[] (spec): what was taken off a line or the order, non-negative amounts. */
function validateDiscountLines(p: Problems, path: string, lines: unknown): void {
  if (lines === undefined) return
  if (!Array.isArray(lines)) return p.add(path, "must be an array")
  lines.forEach((line, i) => {
    const at = `${path}[${i}]`
    if (!isObject(line)) return p.add(at, "must be an object")
    checkAmount(p, `${at}.amount`, line.amount, false)
    checkNumber(p, `${at}.percentage`, line.percentage)
    if (line.discount_type !== undefined && !DISCOUNT_TYPES.includes(line.discount_type as string)) {
      p.add(`${at}.discount_type`, `must be one of ${DISCOUNT_TYPES.join(", ")}`)
    }
    checkString(p, `${at}.discount_id`, line.discount_id, false)
    checkString(p, `${at}.description`, line.description, false)
    if (line.line_id !== undefined && !Number.isInteger(line.line_id)) p.add(`${at}.line_id`, "must be an integer")
  })
}

/** Giftcard[] (spec): Dintero Wallets cards only, each a non-negative part of order.amount. */
function validateGiftCards(p: Problems, cards: unknown): void {
  if (cards === undefined) return
  if (!Array.isArray(cards)) return p.add("order.gift_cards", "must be an array")
  cards.forEach((card, i) => {
    const at = `order.gift_cards[${i}]`
    if (!isObject(card)) return p.add(at, "must be an object")
    if (card.type !== "dintero.wallets") p.add(`${at}.type`, 'must be "dintero.wallets"')
    checkString(p, `${at}.card_id`, card.card_id, true)
    checkAmount(p, `${at}.amount`, card.amount, true)
  })
}

function validateItems(p: Problems, items: unknown, lineIds: Set<string>): void {
  if (items === undefined) return
  if (!Array.isArray(items)) return p.add("order.items", "must be an array")
  items.forEach((item, i) => {
    const path = `order.items[${i}]`
    if (!isObject(item)) return p.add(path, "must be an object")
    if (item.type !== undefined && !ITEM_TYPES.includes(item.type as string)) {
      p.add(`${path}.type`, `must be one of ${ITEM_TYPES.join(", ")}`)
    }
    if (MAY_BE_NEGATIVE.has(item.type as string)) {
      checkSignedAmount(p, `${path}.amount`, item.amount)
      if (item.vat_amount !== undefined) checkSignedAmount(p, `${path}.vat_amount`, item.vat_amount)
    } else {
      checkAmount(p, `${path}.amount`, item.amount, true)
      checkAmount(p, `${path}.vat_amount`, item.vat_amount, false)
    }
    validateDiscountLines(p, `${path}.discount_lines`, item.discount_lines)
    if (item.eligible_for_discount !== undefined && typeof item.eligible_for_discount !== "boolean") {
      p.add(`${path}.eligible_for_discount`, "must be a boolean")
    }
    checkNumber(p, `${path}.vat`, item.vat)
    checkNumber(p, `${path}.quantity`, item.quantity)
    checkString(p, `${path}.id`, item.id, false)
    checkString(p, `${path}.description`, item.description, false)
    checkString(p, `${path}.line_id`, item.line_id, false)
    if (typeof item.line_id === "string") {
      if (lineIds.has(item.line_id)) p.add(`${path}.line_id`, `"${item.line_id}" is not unique within the order`)
      lineIds.add(item.line_id)
    }
  })
}

function validateShippingOption(p: Problems, option: unknown, lineIds: Set<string>): void {
  if (option === undefined) return
  const path = "order.shipping_option"
  if (!isObject(option)) return p.add(path, "must be an object")
  for (const field of ["id", "line_id", "title"]) checkString(p, `${path}.${field}`, option[field], true)
  if (typeof option.operator !== "string") p.add(`${path}.operator`, "is required")
  checkAmount(p, `${path}.amount`, option.amount, true)
  checkAmount(p, `${path}.vat_amount`, option.vat_amount, false)
  checkNumber(p, `${path}.vat`, option.vat)
  // The shipping option becomes a transaction item after payment, so its line_id shares the namespace.
  if (typeof option.line_id === "string") {
    if (lineIds.has(option.line_id)) p.add(`${path}.line_id`, `"${option.line_id}" is not unique within the order`)
    lineIds.add(option.line_id)
  }
}

export function validateOrder(p: Problems, order: unknown): order is SessionOrder {
  if (!isObject(order)) {
    p.add("order", "is required and must be an object")
    return false
  }
  checkAmount(p, "order.amount", order.amount, true)
  if (order.currency === undefined) p.add("order.currency", "is required")
  else if (typeof order.currency !== "string" || !CURRENCY.test(order.currency)) {
    p.add("order.currency", "must be an ISO 4217 currency code such as NOK")
  }
  checkString(p, "order.merchant_reference", order.merchant_reference, true)
  checkString(p, "order.merchant_reference_2", order.merchant_reference_2, false)
  checkAmount(p, "order.vat_amount", order.vat_amount, false)
  if (order.partial_payment !== undefined && typeof order.partial_payment !== "boolean") {
    p.add("order.partial_payment", "must be a boolean")
  }
  const lineIds = new Set<string>()
  validateItems(p, order.items, lineIds)
  validateDiscountLines(p, "order.discount_lines", order.discount_lines)
  validateGiftCards(p, order.gift_cards)
  validateShippingOption(p, order.shipping_option, lineIds)
  return p.list.length === 0
}

export function validateCustomer(p: Problems, customer: unknown): void {
  if (customer === undefined) return
  if (!isObject(customer)) return p.add("customer", "must be an object")
  if (customer.email !== undefined && (typeof customer.email !== "string" || !EMAIL.test(customer.email))) {
    p.add("customer.email", "must be a valid email address")
  }
  if (
    customer.phone_number !== undefined &&
    (typeof customer.phone_number !== "string" || !PHONE_E123.test(customer.phone_number))
  ) {
    p.add("customer.phone_number", "must be in E.123 format with international prefix, e.g. +4799999999")
  }
  checkString(p, "customer.customer_id", customer.customer_id, false)
  if (customer.tokens !== undefined && !isObject(customer.tokens)) p.add("customer.tokens", "must be an object")
}

/** Σ items.amount + shipping_option.amount (reference §7). */
export function orderLinesTotal(order: SessionOrder): number {
  const items = (order.items ?? []).reduce((sum, item) => sum + item.amount, 0)
  return items + (order.shipping_option?.amount ?? 0)
}

/** The rule of `strict-session-amounts` and PUT /sessions: order.amount equals the lines' total. */
export function checkAmountsAddUp(order: SessionOrder): void {
  const hasLines = (order.items?.length ?? 0) > 0 || order.shipping_option !== undefined
  if (!hasLines || order.partial_payment) return
  const total = orderLinesTotal(order)
  if (order.amount !== total) {
    throw badRequest(
      `order.amount (${order.amount}) must equal the sum of order.items[].amount and order.shipping_option.amount (${total})`,
      "INVALID_REQUEST",
      [{ path: "order.amount", message: `must equal ${total}` }]
    )
  }
}

export function validateExpiresAt(p: Problems, value: unknown, now: Date): void {
  if (value === undefined) return
  if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
    return p.add("expires_at", "must be an ISO 8601 date-time")
  }
  if (Date.parse(value) <= now.getTime()) p.add("expires_at", "must be in the future")
}

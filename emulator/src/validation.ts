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

function validateItems(p: Problems, items: unknown, lineIds: Set<string>): void {
  if (items === undefined) return
  if (!Array.isArray(items)) return p.add("order.items", "must be an array")
  items.forEach((item, i) => {
    const path = `order.items[${i}]`
    if (!isObject(item)) return p.add(path, "must be an object")
    checkAmount(p, `${path}.amount`, item.amount, true)
    checkAmount(p, `${path}.vat_amount`, item.vat_amount, false)
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

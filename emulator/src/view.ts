/**
 * Routes of the hosted checkout: GET /v1/view/{sid} (the session `url`), GET /?sid=… (what the
 * Web SDK loads when its `endpoint` is not Dintero's), POST /v1/view/{sid}/pay and GET /embedResult/.
 */
import { assertPayable, payAsPayer, savedCardOf } from "./checkout"
import type { EmulatorContext } from "./context"
import { ApiError } from "./errors"
import { expressOf, expressPayProblem, lockSession, setDiscountCodes, setShippingAddress, setShippingOption, shippingRequired } from "./express"
import { header, isObject, json, type ApiRequest, type ApiResponse } from "./http"
import { renderCheckoutPage, renderEmbedMessage, renderEmbedResult, renderMessagePage } from "./hosted-page"
import { rulesOf } from "./payment-products"
import type { ExpressPage } from "./hosted-page"
import type { SessionRecord } from "./model"
import { addSessionEvent, renderSession } from "./session-view"
import { transactionItems } from "./transactions"
import type { PayOptions, PayResult } from "./types"

const wantsJson = (rq: ApiRequest) => (header(rq, "accept") ?? "").includes("application/json")

function checkoutPage(ctx: EmulatorContext, sessionId: string, sdk: string | undefined, form: { error?: string; card?: string; expiry?: string } = {}): ApiResponse {
  let session
  try {
    session = assertPayable(ctx, sessionId)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { status: error.status, html: renderMessagePage("This payment is not available", error.message) }
  }
  if (!session.events.some((event) => event.name === "VISITED")) addSessionEvent(ctx, session, "VISITED")
  const saved = savedCardOf(ctx, session)
  const lines = transactionItems(session).map((item) => ({
    description: item.description ?? item.id ?? item.line_id ?? "Item",
    quantity: item.quantity,
    amount: item.amount,
  }))
  const html = renderCheckoutPage({
    sessionId,
    merchantReference: session.order.merchant_reference,
    currency: session.order.currency,
    amount: session.order.amount,
    lines,
    formAction: `/v1/view/${encodeURIComponent(sessionId)}/pay`,
    sdk,
    savedCard: saved ? { brand: saved.card.brand, last4: saved.card.masked_pan.slice(-4) } : undefined,
    ...(session.tokenProvider ? { saveCardOnly: { productLabel: rulesOf(session.tokenProvider.productType).label } } : {}),
    ...(expressOf(session) ? { express: expressPage(session) } : {}),
    locked: session.payLock !== undefined,
    ...(sdk ? { sessionJson: renderSession(session) } : {}),
    ...form,
  })
  return { status: 200, html }
}

function expressPage(session: SessionRecord): ExpressPage {
  const express = expressOf(session)!
  const discounts = session.configuration.discounts
  const codes = session.order.discount_codes
  return {
    shippingAddress: isObject(session.order.shipping_address) ? session.order.shipping_address : undefined,
    options: express.shipping_options,
    chosenLineId: session.order.shipping_option?.line_id,
    shippingRequired: shippingRequired(express),
    discountCodes: Array.isArray(codes) ? (codes as string[]) : [],
    discountsEnabled:
      express.discount_codes !== undefined &&
      isObject(discounts) &&
      isObject(discounts.express_discount_codes) &&
      discounts.express_discount_codes.enabled === true,
    maxCodes: express.discount_codes?.max_count ?? 1,
    payProblem: expressPayProblem(session),
  }
}

const ADDRESS_FORM_FIELDS = ["first_name", "last_name", "address_line", "postal_code", "postal_place", "country", "email", "phone_number"]

/**
 * The express forms of the hosted page (hosted-page.ts): `action` = address | wallet | shipping_option |
 * discount, or `remove_code`. The page shows the result, or what went wrong (a refused merchant answer too).
 */
export async function submitExpress(ctx: EmulatorContext, rq: ApiRequest): Promise<ApiResponse> {
  const sessionId = rq.params.sid
  const body = isObject(rq.body) ? rq.body : {}
  const text = (key: string) => (typeof body[key] === "string" ? (body[key] as string).trim() : "")
  const sdk = text("sdk") || undefined
  let error: string | undefined
  try {
    const session = ctx.state.sessions.get(sessionId)
    const current = Array.isArray(session?.order.discount_codes) ? (session!.order.discount_codes as string[]) : []
    if (text("remove_code")) {
      const result = await setDiscountCodes(ctx, sessionId, current.filter((code) => code !== text("remove_code")))
      if (!result.applied) error = `The discount code could not be removed: ${result.callback?.error}`
    } else if (text("action") === "address" || text("action") === "wallet") {
      const fields = text("action") === "wallet" ? ["country", "postal_code"] : ADDRESS_FORM_FIELDS
      const address: Record<string, string> = {}
      for (const field of fields) if (text(field)) address[field] = field === "country" ? text(field).toUpperCase() : text(field)
      const result = await setShippingAddress(ctx, sessionId, address)
      if (!result.applied) error = `The shop could not use this address: ${result.callback?.error}`
    } else if (text("action") === "shipping_option") {
      const option = session && expressOf(session)?.shipping_options.find((o) => o.line_id === text("shipping_option"))
      if (!option) error = "Choose one of the shipping options"
      else setShippingOption(ctx, sessionId, { id: option.id, line_id: option.line_id })
    } else if (text("action") === "discount") {
      if (!text("discount_code")) error = "Enter a discount code"
      else {
        const result = await setDiscountCodes(ctx, sessionId, [...current, text("discount_code")])
        if (!result.applied) error = `The discount code was not accepted: ${result.callback?.error}`
      }
    } else error = "Unknown action"
  } catch (caught) {
    if (!(caught instanceof ApiError)) throw caught
    if (caught.code === "NOT_FOUND" || caught.code === "SESSION_PAID" || caught.code === "SESSION_CANCELLED") {
      return { status: caught.status, html: renderMessagePage("This payment is not available", caught.message) }
    }
    error = caught.errors?.length ? caught.errors.map((e) => `${e.path} ${e.message}`).join("; ") : caught.message
  }
  return checkoutPage(ctx, sessionId, sdk, error ? { error } : {})
}

/** The iframe's answer to the Web SDK's LockSession message (hosted-page.ts sdkScript). */
export function lockFromPage(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  return json(200, lockSession(ctx, rq.params.sid))
}

export function viewSession(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  return checkoutPage(ctx, rq.params.sid, rq.query.get("sdk") ?? undefined)
}

/** `{endpoint}/?sid=…&sdk=…&ui=inline&language=…` as built by @dintero/checkout-web-sdk. */
export function viewRoot(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const sid = rq.query.get("sid")
  if (sid) return checkoutPage(ctx, sid, rq.query.get("sdk") ?? "embedded")
  return {
    status: 200,
    html: renderMessagePage("Dintero Checkout emulator", `API base URL: ${ctx.url}/v1. Open a session's url to pay.`),
  }
}

export function embedResult(_ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  return { status: 200, html: renderEmbedResult(rq.query) }
}

/**
 * Form fields (`action`, `card`, `expiry`, `cvc`; `method` and `outcome` for other methods) or JSON (`card`,
 * `expiry`, `cvc`, `useSavedToken`, `cancel`, `productType`, `outcome`).
 */
function readPayInput(body: unknown): PayOptions & { sdk?: string } {
  if (!isObject(body)) return {}
  const text = (key: string) => (typeof body[key] === "string" && body[key] !== "" ? (body[key] as string) : undefined)
  const method = text("method") ?? text("productType")
  return {
    ...(method ? { productType: method as PayOptions["productType"] } : {}),
    ...(text("outcome") ? { outcome: text("outcome") as PayOptions["outcome"] } : {}),
    card: text("card"),
    expiry: text("expiry"),
    cvc: text("cvc"),
    useSavedToken: body.useSavedToken === true || body.action === "pay_saved",
    cancel: body.cancel === true || body.action === "cancel",
    sdk: text("sdk"),
  }
}

function embedEventType(result: PayResult): string {
  if (result.error === "cancelled") return "SessionCancel"
  if (result.error) return "SessionPaymentError"
  return result.status === "ON_HOLD" ? "SessionPaymentOnHold" : "SessionPaymentAuthorized"
}

export function submitPayment(ctx: EmulatorContext, rq: ApiRequest): ApiResponse {
  const sessionId = rq.params.sid
  const input = readPayInput(rq.body)
  let result: PayResult
  try {
    result = payAsPayer(ctx, sessionId, input)
  } catch (error) {
    if (!(error instanceof ApiError) || wantsJson(rq)) throw error
    // Not payable yet (locked, express steps missing): the payer stays on the page and sees why.
    if (error.code === "SESSION_LOCKED" || error.code === "EXPRESS_INCOMPLETE") {
      return checkoutPage(ctx, sessionId, input.sdk, { error: error.message })
    }
    return { status: error.status, html: renderMessagePage("This payment is not available", error.message) }
  }
  if (wantsJson(rq)) {
    return json(200, {
      ...(result.transactionId ? { transaction_id: result.transactionId, status: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
      ...(result.declineCode ? { decline_code: result.declineCode } : {}),
      ...(result.message ? { message: result.message } : {}),
      redirect_url: result.redirectUrl,
    })
  }
  // A declined or rejected card keeps the payer on the page, which shows what went wrong.
  if (result.error === "authorization" || result.error === "invalid_input") {
    const message = result.error === "authorization" ? `Payment declined: ${result.message}` : result.message
    return checkoutPage(ctx, sessionId, input.sdk, { error: message, card: input.card, expiry: input.expiry })
  }
  if (!input.sdk) return { status: 302, redirect: result.redirectUrl }
  const session = ctx.state.sessions.get(sessionId)!
  const message = {
    type: embedEventType(result),
    sid: sessionId,
    merchant_reference: session.order.merchant_reference,
    ...(result.transactionId ? { transaction_id: result.transactionId } : {}),
    ...(result.error ? { error: result.error } : {}),
    href: result.redirectUrl,
  }
  const done = session.origin === "payment_token" ? "Card saved" : "Payment complete"
  return { status: 200, html: renderEmbedMessage(message, result.error ? "Payment cancelled" : done) }
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, PromotionActions } from "@medusajs/framework/utils"
import { updateCartPromotionsWorkflow, updateCartWorkflow } from "@medusajs/medusa/core-flows"
import { z } from "zod"
import { verifyCallbackSignature } from "../../lib/dintero"
import { EXPRESS_DISCOUNT_CODES_PATH, EXPRESS_SHIPPING_ADDRESS_PATH, expressCallbackUrl } from "../../providers/dintero/options"
import { isExpressMetadata } from "../../providers/dintero/session-metadata"
import { dinteroAccess } from "../reconcile-dintero-payments/dintero-access"
import { expressAnswer, linkExpressSession, liveExpressSession, loadExpressCart, medusaAddress, oneExpressChangeAtATime } from "./express-cart"

/**
 * What Dintero POSTs to an express callback: the session (payments spec, example_shipping_address_callback_url
 * and example_discount_codes_callback_url). Only the session id, the cart it names, the address and the codes are
 * read; items, amounts and shipping options in it are never used (they come from the Medusa cart).
 */
export const expressCallbackBodySchema = z.looseObject({
  id: z.string().min(1),
  order: z.looseObject({
    merchant_reference: z.string().optional(),
    merchant_reference_2: z.string().optional(),
    shipping_address: z.record(z.string(), z.unknown()).nullish(),
    billing_address: z.record(z.string(), z.unknown()).nullish(),
    discount_codes: z.array(z.string()).nullish(),
  }),
  customer: z.looseObject({ email: z.string().optional(), phone_number: z.string().optional() }).nullish(),
})
export type ExpressCallbackBody = z.infer<typeof expressCallbackBodySchema>

export type ExpressCallbackKind = "shipping-address" | "discount-codes"

/** An answer for Dintero: the status and Dintero's body (the new order and options, or Dintero's error shape). */
export type ExpressCallbackAnswer = { status: number; body: Record<string, unknown> }

const refusal = (status: number, code: string, message: string): ExpressCallbackAnswer => ({ status, body: { error: { code, message } } })

/**
 * An express callback from Dintero (docs/express.md). Where it comes from is checked before anything changes:
 * a signature, when Dintero sends one, must verify; and always the session id must be the Dintero session a live
 * Medusa payment session of the named cart is linked to, which Dintero, read back, shows open for that cart.
 * Then only the address (shipping-address) or the promotion codes (discount-codes) change, through Medusa's own
 * cart workflows, which recompute shipping, taxes and promotions; the answer is read from the cart afterwards.
 */
export async function handleExpressCallback(
  container: MedusaContainer,
  kind: ExpressCallbackKind,
  rawBody: unknown,
  signature: string | undefined
): Promise<ExpressCallbackAnswer> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const parsed = expressCallbackBodySchema.safeParse(rawBody)
  if (!parsed.success) {
    return refusal(400, "INVALID_REQUEST", "An express callback must carry the Dintero session: { id, order: { merchant_reference_2, ... } }.")
  }
  const body = parsed.data
  const cartId = body.order.merchant_reference_2
  const cart = cartId ? await loadExpressCart(container, cartId) : undefined
  const linked = cart ? liveExpressSession(cart, body.id) : undefined
  if (!cart || !linked || cart.completed_at) {
    logger.warn(`Dintero express: refused a ${kind} callback for session ${body.id}: no open express checkout of cart ${cartId ?? "(none named)"} is linked to it`)
    return refusal(404, "SESSION_NOT_FOUND", "No open express checkout is linked to this session.")
  }
  const { client, options } = dinteroAccess(container, linked.provider_id)
  if (signature && options.callbackSecret) {
    const path = kind === "shipping-address" ? EXPRESS_SHIPPING_ADDRESS_PATH : EXPRESS_DISCOUNT_CODES_PATH
    const check = verifyCallbackSignature({
      header: signature,
      secret: options.callbackSecret,
      accountId: options.accountId,
      method: "POST",
      url: new URL(expressCallbackUrl(options, path)),
    })
    if (!check.valid) {
      logger.warn(`Dintero express: refused a ${kind} callback for session ${body.id}: signature ${check.reason}`)
      return refusal(401, "UNAUTHORIZED", `Signature ${check.reason}.`)
    }
  }
  const session = await client.getSession(body.id)
  if (session.order?.merchant_reference_2 !== cart.id || !isExpressMetadata(session.metadata) || session.cancelled_at || session.transaction_id) {
    logger.warn(`Dintero express: refused a ${kind} callback for session ${body.id}: Dintero does not show it open for cart ${cart.id}`)
    return refusal(409, "SESSION_NOT_OPEN", "This Dintero session is not an open express checkout of the cart.")
  }

  return oneExpressChangeAtATime(container, cart.id, async () => {
    if (kind === "shipping-address") {
      const address = medusaAddress(body.order.shipping_address)
      if (!address?.country_code || !cart.region_countries.includes(address.country_code)) {
        // Medusa does not sell to this country from the cart's region: nothing changes, nothing can be shipped.
        const answer = await expressAnswer(container, cart.id, body.order, logger)
        return { status: 200, body: { ...answer, shipping_options: [] } }
      }
      const email = body.order.shipping_address?.email ?? body.customer?.email
      await updateCartWorkflow(container).run({
        input: {
          id: cart.id,
          shipping_address: address,
          ...(body.order.billing_address ? { billing_address: medusaAddress(body.order.billing_address) } : {}),
          ...(!cart.email && typeof email === "string" && email ? { email } : {}),
        },
      })
    } else {
      const requested = [...new Set((body.order.discount_codes ?? []).map((code) => code.trim()).filter(Boolean))]
      const invalid = await replacePromotionCodes(container, cart.id, requested, cart.promo_codes)
      if (invalid) {
        return refusal(400, "INVALID_DISCOUNT_CODE", invalid)
      }
    }
    // A changed total made Medusa delete the payment session: link a new one to the same Dintero session. Its
    // order reaches Dintero in this answer, so nothing is PUT.
    const after = await loadExpressCart(container, cart.id)
    if (after && !liveExpressSession(after, body.id)) {
      await linkExpressSession(container, after, linked.provider_id, { session_id: body.id, checkout_url: linked.data.checkout_url, update: "none" })
    }
    return { status: 200, body: await expressAnswer(container, cart.id, body.order, logger) }
  })
}

/**
 * The cart's promotion codes become exactly `requested` (Medusa's updateCartPromotionsWorkflow). A code Medusa
 * does not know, or knows but does not apply to this cart, is refused and the previous codes are put back.
 */
async function replacePromotionCodes(container: MedusaContainer, cartId: string, requested: string[], previous: string[]): Promise<string | undefined> {
  const replace = (codes: string[]) =>
    updateCartPromotionsWorkflow(container).run({ input: { cart_id: cartId, promo_codes: codes, action: PromotionActions.REPLACE } })
  try {
    await replace(requested)
  } catch (error) {
    if ((error as MedusaError).type === MedusaError.Types.INVALID_DATA || (error as MedusaError).type === MedusaError.Types.NOT_FOUND) {
      return (error as Error).message
    }
    throw error
  }
  const applied = (await loadExpressCart(container, cartId))?.promo_codes ?? []
  const notApplied = requested.filter((code) => !applied.includes(code))
  if (notApplied.length) {
    await replace(previous.filter((code) => !notApplied.includes(code)))
    return `The discount code ${notApplied.join(", ")} does not apply to this cart.`
  }
  return undefined
}

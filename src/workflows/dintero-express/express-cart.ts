import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { createPaymentSessionsWorkflow } from "@medusajs/medusa/core-flows"
import { toMinorUnits, type ShippingOption } from "../../lib/dintero"
import { loadCartSnapshotOfCart } from "../../providers/dintero/cart-snapshot"
import { expressOrder, expressShippingOptions } from "../../providers/dintero/express"
import { EXPRESS_LINK_CONTEXT_KEY, type ExpressLink } from "../../providers/dintero/express-link"
import { isExpressMetadata } from "../../providers/dintero/session-metadata"
import { configuredDinteroProviders, dinteroAccess } from "../reconcile-dintero-payments/dintero-access"

type Container = Pick<MedusaContainer, "resolve">

/** What of the provider's `data.dintero` an express checkout needs (providers/dintero/session-data.ts). */
export type ExpressSessionData = { session_id: string; checkout_url?: string; express?: boolean; amount: number; currency: string }
export type ExpressPaymentSession = { id: string; provider_id: string; data: ExpressSessionData }

export type ExpressCart = {
  id: string
  completed_at: string | null
  currency_code: string
  total: unknown
  email: string | null
  customer_id: string | null
  region_countries: string[]
  promo_codes: string[]
  shipping_option_ids: string[]
  payment_collection_id?: string
  /** The cart's live (not deleted) Dintero express payment sessions. */
  express_sessions: ExpressPaymentSession[]
}

const CART_FIELDS = [
  "id",
  "completed_at",
  "currency_code",
  "total",
  "email",
  "customer_id",
  "region.countries.iso_2",
  "promotions.code",
  "shipping_methods.shipping_option_id",
  "payment_collection.id",
  "payment_collection.payment_sessions.id",
  "payment_collection.payment_sessions.provider_id",
  "payment_collection.payment_sessions.data",
]

export async function loadExpressCart(container: Container, cartId: string): Promise<ExpressCart | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
  const cart = data[0] as any
  if (!cart) {
    return undefined
  }
  return {
    id: cart.id,
    completed_at: cart.completed_at ?? null,
    currency_code: cart.currency_code,
    total: cart.total,
    email: cart.email ?? null,
    customer_id: cart.customer_id ?? null,
    region_countries: (cart.region?.countries ?? []).map((country: any) => String(country?.iso_2 ?? "").toLowerCase()),
    promo_codes: (cart.promotions ?? []).map((promotion: any) => promotion?.code).filter(Boolean),
    shipping_option_ids: (cart.shipping_methods ?? []).map((method: any) => method?.shipping_option_id).filter(Boolean),
    payment_collection_id: cart.payment_collection?.id,
    express_sessions: (cart.payment_collection?.payment_sessions ?? [])
      .filter((session: any) => session?.provider_id?.startsWith("pp_dintero_") && session?.data?.dintero?.express === true)
      .map((session: any) => ({ id: session.id, provider_id: session.provider_id, data: session.data.dintero })),
  }
}

/** The live Medusa payment session linked to this Dintero express session, if the cart still has one. */
export function liveExpressSession(cart: ExpressCart, dinteroSessionId: string): ExpressPaymentSession | undefined {
  return cart.express_sessions.find((session) => session.data.session_id === dinteroSessionId)
}

/**
 * The express Dintero session a storefront names for its cart (sync, return): the cart's live one when Medusa still
 * has it, else the one named, which must be, as Dintero reads it back, an express session of this very cart (its
 * merchant_reference_2). Medusa deletes a payment session for good when the cart total changes, so after a cart edit
 * only the storefront, which embeds the session, still knows its id; naming another cart's session gets nothing.
 */
export async function expressSessionOfCart(
  container: Container,
  cart: ExpressCart,
  named: string | undefined
): Promise<{ providerId: string; sessionId: string; checkoutUrl?: string; live?: ExpressPaymentSession } | undefined> {
  const live = named ? liveExpressSession(cart, named) : cart.express_sessions[0]
  if (live) {
    return { providerId: live.provider_id, sessionId: live.data.session_id, checkoutUrl: live.data.checkout_url, live }
  }
  if (!named) {
    return undefined
  }
  for (const { providerId } of configuredDinteroProviders(container)) {
    const { client } = dinteroAccess(container, providerId)
    const session = await client.getSession(named).catch(() => undefined)
    if (session && session.order?.merchant_reference_2 === cart.id && isExpressMetadata(session.metadata)) {
      return { providerId, sessionId: named, checkoutUrl: typeof session.url === "string" ? session.url : undefined }
    }
  }
  return undefined
}

/**
 * Links a new Medusa payment session to the cart's express Dintero session, through Medusa's own
 * createPaymentSessionsWorkflow, with the server-side context the provider reuses the session from
 * (providers/dintero/express-link.ts). Medusa replaces any other session of the collection meanwhile.
 */
export async function linkExpressSession(
  container: MedusaContainer,
  cart: ExpressCart,
  providerId: string,
  link: ExpressLink
): Promise<{ id: string; data: Record<string, unknown> }> {
  if (!cart.payment_collection_id) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${cart.id} has no payment collection.`)
  }
  const { result } = await createPaymentSessionsWorkflow(container).run({
    input: {
      payment_collection_id: cart.payment_collection_id,
      provider_id: providerId,
      ...(cart.customer_id ? { customer_id: cart.customer_id } : {}),
      data: { express: true },
      context: { [EXPRESS_LINK_CONTEXT_KEY]: link } as any,
    },
  })
  return result as unknown as { id: string; data: Record<string, unknown> }
}

/** Dintero's address (OrderAddress) as Medusa's cart address; `country` alone with `postal_code` is enough (wallets). */
export function medusaAddress(address: Record<string, unknown> | undefined | null) {
  if (!address) {
    return undefined
  }
  const text = (key: string) => (typeof address[key] === "string" && address[key] ? (address[key] as string) : undefined)
  const country = text("country")
  return {
    ...(text("first_name") ? { first_name: text("first_name") } : {}),
    ...(text("last_name") ? { last_name: text("last_name") } : {}),
    ...(text("business_name") ? { company: text("business_name") } : {}),
    ...(text("address_line") ? { address_1: text("address_line") } : {}),
    ...(text("address_line_2") ? { address_2: text("address_line_2") } : {}),
    ...(text("postal_code") ? { postal_code: text("postal_code") } : {}),
    ...(text("postal_place") ? { city: text("postal_place") } : {}),
    ...(country ? { country_code: country.toLowerCase() } : {}),
    ...(text("phone_number") ? { phone: text("phone_number") } : {}),
  }
}

/**
 * What the plugin answers Dintero after a change: the cart's order (items without the shipping, the cart's
 * shipping method as the chosen option) and Medusa's shipping options for the cart, all read from Medusa.
 * `sent` is the order Dintero sent: only its references and the id of the shipping option the shopper has chosen
 * in Dintero's checkout are read.
 */
export async function expressAnswer(
  container: Container,
  cartId: string,
  sent: { merchant_reference?: string; merchant_reference_2?: string; shipping_option?: unknown },
  logger?: { warn(message: string): void }
) {
  const cart = await loadExpressCart(container, cartId)
  const snapshot = cart ? await loadCartSnapshotOfCart(cart.id, logger) : undefined
  if (!cart || !snapshot) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${cartId} could not be read.`)
  }
  const currency = cart.currency_code.toUpperCase()
  const amount = toMinorUnits(String(snapshot.total ?? "0"), currency)
  const shippingOptions = await expressShippingOptions(snapshot, logger)
  const order = withChosenShippingOption(expressOrder(snapshot, amount, currency), sent.shipping_option, shippingOptions)
  return {
    order: {
      ...order,
      currency,
      ...(sent.merchant_reference ? { merchant_reference: sent.merchant_reference } : {}),
      merchant_reference_2: cart.id,
      ...(cart.promo_codes.length ? { discount_codes: cart.promo_codes } : {}),
    },
    shipping_options: shippingOptions,
  }
}

/**
 * The shipping option the shopper has chosen in Dintero's checkout is not on the Medusa cart before the payment (it
 * becomes the shipping method at completion), yet Dintero takes the answer's `order.amount` as the items plus the
 * chosen option (docs /docs/checkout/shipping-address-callback: "make sure that order.amount contains the amount
 * from the shipping option which is currently chosen"). So the chosen option, as Medusa offers it now, is added;
 * one Medusa no longer offers is left out (Dintero then drops the choice).
 */
function withChosenShippingOption(order: ReturnType<typeof expressOrder>, chosen: unknown, offered: ShippingOption[]) {
  const id = (chosen as { id?: unknown } | null | undefined)?.id
  const option = order.shipping_option || typeof id !== "string" ? undefined : offered.find((o) => o.id === id)
  if (!option) return order
  return { ...order, amount: order.amount + option.amount, vat_amount: order.vat_amount + (option.vat_amount ?? 0), shipping_option: option }
}

/** One express change per cart at a time: the change, the re-link of the payment session and the answer read together. */
export async function oneExpressChangeAtATime<T>(container: Container, cartId: string, job: () => Promise<T>): Promise<T> {
  const locking = container.resolve(Modules.LOCKING) as { execute<R>(key: string, job: () => Promise<R>, args?: { timeout?: number }): Promise<R> }
  return locking.execute(`dintero-express:${cartId}`, job, { timeout: 20 })
}

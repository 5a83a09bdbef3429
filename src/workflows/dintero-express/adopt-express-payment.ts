import type { MedusaContainer, WebhookActionResult } from "@medusajs/framework/types"
import { BigNumber, ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { addShippingMethodToCartWorkflow, updateCartWorkflow } from "@medusajs/medusa/core-flows"
import { fromMinorUnits, toMinorUnits, type Transaction } from "../../lib/dintero"
import type { ExpressPaymentNotice } from "../../providers/dintero/callback"
import { capturedAmount } from "../../providers/dintero/transaction-facts"
import { dinteroAccess } from "../reconcile-dintero-payments/dintero-access"
import { linkExpressSession, liveExpressSession, loadExpressCart, medusaAddress } from "./express-cart"

export type ExpressAdoption =
  | { refused: false; result: WebhookActionResult; paymentSessionId: string }
  | { refused: true; reason: string; voided: boolean }

/**
 * Before Medusa completes an express cart (callback or return, under the transaction's callback lock): what the
 * shopper chose inside Dintero goes on the cart from the transaction, read back from Dintero — shipping and billing
 * address, e-mail, phone, and the chosen shipping option as the cart's shipping method (Medusa's own cart
 * workflows, which recompute taxes and promotions). Then the cart must still stand for this Dintero session (a live
 * Medusa payment session linked to it) and cost exactly what Dintero charged; otherwise the cart is not completed
 * and the authorization is voided, with a log line saying why.
 */
export async function adoptExpressPayment(container: MedusaContainer, result: WebhookActionResult): Promise<ExpressAdoption> {
  const notice = (result.data as { express?: ExpressPaymentNotice } | undefined)?.express
  if (!notice?.provider_id) {
    return { refused: false, result, paymentSessionId: result.data!.session_id }
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const { client } = dinteroAccess(container, notice.provider_id)
  const transaction = await client.getTransaction(notice.transaction_id)
  if (transaction.session_id !== notice.dintero_session_id || transaction.merchant_reference_2 !== notice.cart_id) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Dintero transaction ${transaction.id} is not the express payment of cart ${notice.cart_id}.`)
  }
  const cart = await loadExpressCart(container, notice.cart_id)
  if (!cart) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${notice.cart_id} of express transaction ${transaction.id} does not exist.`)
  }
  const linked = liveExpressSession(cart, notice.dintero_session_id)
  const refuse = (reason: string) => refuseAndVoid(client, logger, cart.id, transaction, reason)
  if (cart.completed_at && linked) {
    // Already completed with this payment (a duplicate callback, or the return came first): Medusa's own flow finds it done.
    return { refused: false, result: { ...result, data: { ...result.data!, session_id: linked.id } }, paymentSessionId: linked.id }
  }
  if (cart.completed_at) {
    // The express Dintero session stays open across cart changes (the provider does not cancel it), so it can be
    // paid after the cart was completed another way: no order can take this payment.
    return refuse("the cart was already completed with another payment")
  }
  if (!linked) {
    return refuse("no live Medusa payment session stands for this Dintero session any more (the cart was changed or another checkout was started)")
  }
  const chosen = shippingOptionOf(transaction)
  if (!chosen) {
    return refuse("the transaction carries no shipping option")
  }

  const shopper = shopperOf(transaction)
  await updateCartWorkflow(container).run({
    input: {
      id: cart.id,
      ...(shopper.shippingAddress ? { shipping_address: shopper.shippingAddress } : {}),
      ...(shopper.billingAddress ? { billing_address: shopper.billingAddress } : {}),
      ...(shopper.email && !cart.email ? { email: shopper.email } : {}),
    },
  })
  const withAddress = await loadExpressCart(container, cart.id)
  if (!withAddress?.shipping_option_ids.includes(chosen)) {
    try {
      await addShippingMethodToCartWorkflow(container).run({ input: { cart_id: cart.id, options: [{ id: chosen }] } })
    } catch (error) {
      return refuse(`Medusa does not offer shipping option ${chosen} for this cart (${(error as Error).message})`)
    }
  }
  let ready = await loadExpressCart(container, cart.id)
  if (ready && !liveExpressSession(ready, notice.dintero_session_id)) {
    await linkExpressSession(container, ready, linked.provider_id, { session_id: notice.dintero_session_id, checkout_url: linked.data.checkout_url, update: "none" })
    ready = await loadExpressCart(container, cart.id)
  }
  const live = ready ? liveExpressSession(ready, notice.dintero_session_id) : undefined
  const currency = (ready?.currency_code ?? cart.currency_code).toUpperCase()
  const cartTotal = toMinorUnits(MathBN.convert((ready?.total ?? 0) as any).toFixed(), currency)
  if (!live || transaction.amount !== cartTotal || transaction.currency.toUpperCase() !== currency) {
    return refuse(
      `Dintero charged ${transaction.amount} ${transaction.currency.toUpperCase()}, the Medusa cart totals ${cartTotal} ${currency}` +
        ` (items and shipping as Medusa computes them)`
    )
  }
  const amount = transaction.status === "CAPTURED" ? capturedAmount(transaction) : transaction.amount
  return {
    refused: false,
    result: { ...result, data: { ...result.data!, session_id: live.id, amount: new BigNumber(fromMinorUnits(amount, transaction.currency)) } },
    paymentSessionId: live.id,
  }
}

async function refuseAndVoid(
  client: { voidTransaction(id: string): Promise<unknown> },
  logger: { error(message: string): void },
  cartId: string,
  transaction: Transaction,
  reason: string
): Promise<ExpressAdoption> {
  let voided = false
  if (transaction.status === "AUTHORIZED") {
    await client.voidTransaction(transaction.id)
    voided = true
  }
  logger.error(
    `Dintero express: refused to complete cart ${cartId} with transaction ${transaction.id}: ${reason}; ` +
      (voided ? "voided at Dintero." : `not voided (Dintero reports ${transaction.status}): refund it in Dintero if it is not owed.`)
  )
  return { refused: true, reason, voided }
}

/** The Medusa shipping option id the shopper chose (the transaction's `shipping_option`, docs /docs/checkout/after-payment). */
function shippingOptionOf(transaction: Transaction): string | undefined {
  const option = (transaction as { shipping_option?: { id?: unknown } | null }).shipping_option
  return typeof option?.id === "string" && option.id ? option.id : undefined
}

function shopperOf(transaction: Transaction) {
  const raw = transaction as {
    shipping_address?: Record<string, unknown> | null
    billing_address?: Record<string, unknown> | null
    customer?: { email?: unknown; phone_number?: unknown } | null
  }
  const email = [raw.customer?.email, raw.shipping_address?.email, raw.billing_address?.email].find((value) => typeof value === "string" && value)
  const phone = [raw.customer?.phone_number, raw.shipping_address?.phone_number].find((value) => typeof value === "string" && value) as string | undefined
  const shippingAddress = medusaAddress(raw.shipping_address)
  return {
    email: email as string | undefined,
    shippingAddress: shippingAddress?.country_code ? { ...(phone ? { phone } : {}), ...shippingAddress } : undefined,
    billingAddress: medusaAddress(raw.billing_address)?.country_code ? medusaAddress(raw.billing_address) : undefined,
  }
}

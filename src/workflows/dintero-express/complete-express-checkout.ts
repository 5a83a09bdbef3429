import type { MedusaContainer, WebhookActionResult } from "@medusajs/framework/types"
import { BigNumber, ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { fromMinorUnits } from "../../lib/dintero"
import { toWebhookAction } from "../../providers/dintero/status"
import { confirmCallbackOutcomeStep } from "../handle-dintero-callback/steps/confirm-callback-outcome"
import { processCallbackPaymentStep } from "../handle-dintero-callback/steps/process-callback-payment"
import { dinteroAccess } from "../reconcile-dintero-payments/dintero-access"
import type { ExpressAdoption } from "./adopt-express-payment"
import { expressSessionOfCart, loadExpressCart } from "./express-cart"
import { adoptExpressPaymentStep } from "./steps/adopt-express-payment"

type CompleteExpressInput = { payment: WebhookActionResult; transactionId: string }

/**
 * The return of an express checkout: the same steps as Dintero's callback (handle-dintero-callback), under the same
 * per-transaction lock key, so a return racing the callback (or itself) completes the cart once.
 */
export const completeExpressCheckoutWorkflow = createWorkflow("complete-dintero-express-checkout", (input: CompleteExpressInput) => {
  const lockKey = transform({ input }, ({ input }) => `dintero-callback:${input.transactionId}`)
  acquireLockStep({ key: lockKey, timeout: 30, ttl: 120 })
  const express = adoptExpressPaymentStep(input.payment)
  const completed = when("express-return-completes-payment", { express }, ({ express }) => !express.refused).then(() => {
    const payment = transform({ express }, ({ express }) => (express as Extract<ExpressAdoption, { refused: false }>).result)
    // Not a callback: no transaction read under a callback's scope to reuse, so the authorization reads Dintero.
    processCallbackPaymentStep(transform({ payment }, ({ payment }) => ({ result: payment, firstCompletion: false })))
    const expected = transform({ express, input }, ({ express, input }) => ({
      paymentSessionId: (express as Extract<ExpressAdoption, { refused: false }>).paymentSessionId,
      transactionId: input.transactionId,
    }))
    return confirmCallbackOutcomeStep(expected)
  })
  releaseLockStep({ key: lockKey })
  return new WorkflowResponse(transform({ express, completed }, ({ express, completed }) => ({ express, order_id: completed?.orderId ?? null })))
})

/**
 * POST /store/dintero/express/:cart_id/complete: finds the cart's express Dintero session (the live one, or the one
 * the return URL named, checked with Dintero to be this cart's) and its transaction at Dintero, and completes the
 * cart as the callback would. Nothing else is read from the request.
 */
export async function completeExpressCheckout(container: MedusaContainer, cartId: string, namedSessionId?: string): Promise<{ order_id: string }> {
  const cart = await loadExpressCart(container, cartId)
  if (!cart) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${cartId} was not found.`)
  }
  const current = await expressSessionOfCart(container, cart, namedSessionId)
  if (!current) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Cart ${cartId} has no express checkout${namedSessionId ? ` with Dintero session ${namedSessionId}` : ""}.`)
  }
  const { client } = dinteroAccess(container, current.providerId)
  const session = await client.getSession(current.sessionId)
  if (!session.transaction_id) {
    throw new MedusaError(MedusaError.Types.CONFLICT, "The shopper has not paid in Dintero's checkout yet.")
  }
  const transaction = await client.getTransaction(session.transaction_id)
  const action = toWebhookAction(transaction.status)
  if (transaction.merchant_reference_2 !== cart.id || (transaction.status !== "AUTHORIZED" && transaction.status !== "CAPTURED")) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Dintero reports the payment as ${transaction.status}: the cart is not completed.`)
  }
  const payment: WebhookActionResult = {
    action,
    data: {
      session_id: current.live?.id ?? transaction.merchant_reference ?? "",
      amount: new BigNumber(fromMinorUnits(transaction.amount, transaction.currency)),
      express: { cart_id: cart.id, dintero_session_id: current.sessionId, transaction_id: transaction.id, provider_id: current.providerId },
    } as NonNullable<WebhookActionResult["data"]>,
  }
  const { result } = await completeExpressCheckoutWorkflow(container).run({ input: { payment, transactionId: transaction.id }, throwOnError: true })
  if (result.express.refused) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `The payment does not match the cart and was ${result.express.voided ? "voided" : "not completed"}: ${result.express.reason}.`
    )
  }
  if (!result.order_id) {
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`Dintero express: cart ${cart.id} paid but no order was found after completion`)
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "The order could not be placed now; try again.")
  }
  return { order_id: result.order_id }
}

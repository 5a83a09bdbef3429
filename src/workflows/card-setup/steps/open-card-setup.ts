import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { CardPaymentProductType } from "../../../lib/dintero"
import { paymentTokenSessionRequest, TOKENIZABLE_PRODUCTS } from "../../../providers/dintero/card-setup"
import { returnUrlFor } from "../../../providers/dintero/checkout-context"
import { toMedusaError } from "../../../providers/dintero/errors"
import { dinteroAccess } from "../../reconcile-dintero-payments/dintero-access"
import { subscriptionModule } from "../../subscriptions/helpers"
import type { SetupCustomer } from "./ensure-account-holder"
import type { CardSetupTarget } from "./resolve-card-setup-target"

export type OpenedCardSetup = { id: string; session_id: string; url: string; payment_product_type: string; expires_at: string | null }

/** A session opened through a link lives no longer than the link (and an hour at most): expiry holds at Dintero too. */
const LINK_SESSION_MAX_MS = 60 * 60 * 1000

/**
 * Records the card setup, then opens Dintero's zero-amount token session for it (POST
 * /v1/sessions/payment-token) with the setup's id as merchant_reference. Only card products can be tokenized
 * this way; anything else is refused before Dintero is asked. Undone (the record deleted) when Dintero refuses.
 */
export const openCardSetupStep = createStep(
  "open-dintero-card-setup",
  async (
    input: { target: CardSetupTarget; customer: SetupCustomer; provider_id: string; payment_product_type?: string; return_url?: string },
    { container }
  ) => {
    const { client, options } = dinteroAccess(container, input.provider_id)
    if (options.saveCards === "never" || !options.tokenEncryptionKey) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Saving cards is off in this store (the Dintero provider's saveCards option is \"never\").")
    }
    const productType = (input.payment_product_type ?? options.paymentProductType) as CardPaymentProductType
    if (!TOKENIZABLE_PRODUCTS.includes(productType)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `${productType} cannot be saved without a purchase: Dintero tokenizes cards only (${TOKENIZABLE_PRODUCTS.join(", ")}).`
      )
    }
    const service = subscriptionModule(container)
    const currency = input.target.currency_code ?? (await defaultCurrency(container)) ?? "nok"
    const setup = await service.createCardSetups({
      customer_id: input.customer.id,
      account_holder_id: input.customer.account_holder.id,
      provider_id: input.provider_id,
      payment_product_type: productType,
      currency_code: currency.toLowerCase(),
      subscription_ids: input.target.subscription_ids as any,
      all_subscriptions: input.target.all_subscriptions,
      link_id: input.target.link_id,
    })
    const expiresAt = input.target.link_expires_at
      ? new Date(Math.min(new Date(input.target.link_expires_at).getTime(), Date.now() + LINK_SESSION_MAX_MS))
      : undefined
    let created: { id: string; url: string }
    try {
      created = await client.createPaymentTokenSession(
        paymentTokenSessionRequest(options, {
          cardSetupId: setup.id,
          currency,
          returnUrl: returnUrlFor(input.return_url ? { return_url: input.return_url } : undefined, options.returnUrl),
          productType,
          customer: { id: input.customer.id, email: input.customer.email },
          expiresAt,
        })
      )
    } catch (error) {
      await service.deleteCardSetups(setup.id)
      throw toMedusaError(error, "open a Dintero session to save a card")
    }
    await service.updateCardSetups({ id: setup.id, dintero_session_id: created.id })
    return new StepResponse<OpenedCardSetup, string>(
      { id: setup.id, session_id: created.id, url: created.url, payment_product_type: productType, expires_at: expiresAt?.toISOString() ?? null },
      setup.id
    )
  },
  async (setupId, { container }) => {
    if (setupId) {
      await subscriptionModule(container).deleteCardSetups(setupId)
    }
  }
)

async function defaultCurrency(container: { resolve(key: string): any }): Promise<string | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "store", fields: ["supported_currencies.currency_code", "supported_currencies.is_default"] })
  const currencies = (data[0]?.supported_currencies ?? []) as Array<{ currency_code: string; is_default?: boolean }>
  return (currencies.find((currency) => currency.is_default) ?? currencies[0])?.currency_code
}

import {
  AbstractPaymentProvider,
  MathBN,
  MedusaError,
  PaymentSessionStatus,
} from "@medusajs/framework/utils"
import { container } from "@medusajs/framework"
import { Modules } from "@medusajs/framework/utils"
import type {
  AccountHolderDTO,
  AuthorizePaymentInput,
  AuthorizePaymentOutput,
  CancelPaymentInput,
  CancelPaymentOutput,
  CapturePaymentInput,
  CapturePaymentOutput,
  CreateAccountHolderInput,
  CreateAccountHolderOutput,
  DeleteAccountHolderInput,
  DeleteAccountHolderOutput,
  DeletePaymentInput,
  DeletePaymentMethodInput,
  DeletePaymentMethodOutput,
  DeletePaymentOutput,
  GetPaymentStatusInput,
  GetPaymentStatusOutput,
  InitiatePaymentInput,
  InitiatePaymentOutput,
  ListPaymentMethodsInput,
  ListPaymentMethodsOutput,
  Logger,
  ProviderWebhookPayload,
  RefundPaymentInput,
  RefundPaymentOutput,
  RetrievePaymentInput,
  RetrievePaymentOutput,
  SavePaymentMethodInput,
  SavePaymentMethodOutput,
  UpdateAccountHolderInput,
  UpdateAccountHolderOutput,
  UpdatePaymentInput,
  UpdatePaymentOutput,
  WebhookActionResult,
} from "@medusajs/framework/types"
import {
  DinteroClient,
  DinteroError,
  parseEncryptionKey,
  toMinorUnits,
  type TokenInclude,
  type Transaction,
} from "../../lib/dintero"
import { DINTERO_CARD_VAULT_MODULE } from "../../modules/dintero-card-vault/key"
import { CardVault, publicCard } from "./card-vault"
import { loadCartSnapshot } from "./cart-snapshot"
import { toMedusaError } from "./errors"
import { chargeStoredCard, declineOf, merchantInitiatedRequestSchema } from "./merchant-initiated"
import { callbackUrl, parseDinteroOptions, type DinteroOptions } from "./options"
import { EXPRESS_METADATA_KEY, EXPRESS_METADATA_VALUE, isExpressMetadata, medusaSessionMetadata, medusaSessionOf } from "./session-metadata"
import { expressBlock, expressOrder, expressShippingOptions } from "./express"
import { expressLinkOf } from "./express-link"
import { buildOrderLines, sumVat } from "./order-lines"
import { createDinteroClient } from "./client-factory"
import { dinteroDataSchema, readDinteroData, withDinteroData, type DinteroData } from "./session-data"
import { accountHolderIdOf, e123, returnUrlFor } from "./checkout-context"
import { readPaymentState, type PaymentState } from "./payment-state"
import { readDinteroCallback } from "./callback"
import { takeVerifiedTransaction } from "./verified-transaction"
import { toSessionStatus } from "./status"
import { assertStorefrontData } from "./storefront-data"
import { capturedAmount, describeDecline, latestError } from "./transaction-facts"
import {
  amountToSend,
  hasOperation,
  movedByDintero,
  readMedusaRecords,
  requestedMinorUnits,
  type MedusaRecords,
  type MoneyOperation,
} from "./money-reconciliation"
import { itemsOf, lineLedger, operationItems } from "./operation-items"
import { loadOrderProgress } from "./order-progress"
import { targetedShares } from "./targeted-items"
import { finalCaptureMethod, releasePlan } from "./release"
import { capabilitiesOf, partialCaptureRefusal } from "./payment-products"
import { customerPresentTokens, tokenRequestConfiguration } from "./tokenization"
import { isCardVerification, zeroAmountRefusal, zeroAmountTokenSessionRequest } from "./zero-amount-checkout"

const TOKEN_INCLUDES: TokenInclude[] = ["card.payment_token", "card.recurrence_token"]

type MedusaRecordService = Parameters<typeof readMedusaRecords>[0]["records"]

type Cradle = {
  logger?: Logger
  captureService?: MedusaRecordService
  refundService?: MedusaRecordService
  paymentService?: {
    retrieve(id: string, config?: object): Promise<{ id: string; amount?: unknown; raw_amount?: unknown }>
    list(filters: object, config?: object): Promise<Array<{ id: string }>>
  }
  paymentSessionService?: { retrieve(id: string, config?: object): Promise<{ payment_collection_id: string }> }
  accountHolderService: ConstructorParameters<typeof CardVault>[0]
}

/**
 * The session's status when it holds Dintero's approving answer to the merchant-initiated charge that has just
 * created it, and its caller says so (`context.merchant_initiated_answer`, which only server-side code sets:
 * charge-saved-card.ts does, right after creating the session). Anything else is read from Dintero.
 */
function approvedByPayAnswer(input: AuthorizePaymentInput): PaymentSessionStatus | undefined {
  if ((input.context as { merchant_initiated_answer?: unknown } | undefined)?.merchant_initiated_answer !== true) {
    return undefined
  }
  const parsed = dinteroDataSchema.safeParse(input.data?.dintero)
  const data = parsed.success ? parsed.data : undefined
  if (!data?.merchant_initiated || !data.transaction_id || !data.transaction_status) {
    return undefined
  }
  return data.transaction_status === "AUTHORIZED" || data.transaction_status === "CAPTURED" ? toSessionStatus(data.transaction_status) : undefined
}

/** Payment provider for Dintero Checkout (id `dintero`, registered as `pp_dintero_<id>`). */
export class DinteroProviderService extends AbstractPaymentProvider<DinteroOptions> {
  static identifier = "dintero"

  protected readonly options: DinteroOptions
  protected readonly client: DinteroClient
  protected readonly logger?: Logger
  protected readonly vault: CardVault

  static validateOptions(options: Record<string, unknown>): void {
    parseDinteroOptions(options)
  }

  constructor(cradle: Cradle, options: Record<string, unknown>) {
    super(cradle as Record<string, unknown>, options as DinteroOptions)
    this.options = parseDinteroOptions(options)
    this.logger = cradle.logger
    this.client = createDinteroClient(this.options, this.logger)
    this.vault = new CardVault(
      cradle.accountHolderService,
      this.options.tokenEncryptionKey ? parseEncryptionKey(this.options.tokenEncryptionKey) : undefined,
      () => (container.hasRegistration(DINTERO_CARD_VAULT_MODULE) ? container.resolve(DINTERO_CARD_VAULT_MODULE) : undefined),
      () => (container.hasRegistration(Modules.LOCKING) ? container.resolve(Modules.LOCKING) : undefined)
    )
  }

  private get cradle(): Cradle {
    return this.container as Cradle
  }

  // ── Checkout ───────────────────────────────────────────────────────────────────────────────────────

  async initiatePayment(input: InitiatePaymentInput): Promise<InitiatePaymentOutput> {
    const medusaSessionId = String(input.data?.session_id ?? input.context?.idempotency_key ?? "")
    const currency = input.currency_code.toUpperCase()
    const amount = toMinorUnits(MathBN.convert(input.amount).toFixed(), currency)
    const accountHolderId = accountHolderIdOf(input.context)
    try {
      // A charge without the customer is requested in the context, which only server-side code can set
      // (the store API forwards storefront input as `data`). Asked for from a storefront it would be a
      // purchase with a saved card that skips the payer's confirmation.
      const merchantInitiated = (input.context as { merchant_initiated?: unknown } | undefined)?.merchant_initiated
      if (merchantInitiated === undefined) {
        // Storefront data: only the storefront's own keys, never the provider's (see storefront-data.ts).
        assertStorefrontData(input.data)
      }
      if (merchantInitiated !== undefined) {
        if (!accountHolderId) {
          throw new MedusaError(MedusaError.Types.INVALID_DATA, "A merchant-initiated charge needs the customer's account holder.")
        }
        const request = merchantInitiatedRequestSchema.parse(merchantInitiated)
        return await chargeStoredCard(
          { client: this.client, vault: this.vault, callbackUrl: callbackUrl(this.options).toString() },
          { accountHolderId, request, amount, currency, medusaSessionId }
        )
      }
      const cart = await this.cartFor(medusaSessionId)
      const customer = input.context?.customer
      const savedCardId = typeof input.data?.payment_method_id === "string" ? input.data.payment_method_id : undefined
      if (amount === 0) {
        return await this.openCardVerification(input, { medusaSessionId, currency, cart, accountHolderId, savedCardId })
      }
      if (this.wantsExpress(input.data) && cart) {
        return await this.openExpressCheckout(input, { medusaSessionId, amount, currency, cart })
      }
      const items = buildOrderLines(cart, amount, currency)
      const savedCard = savedCardId ? await this.savedCardTokens(accountHolderId, savedCardId) : undefined
      const saveCardTo =
        !savedCard && customer && accountHolderId && this.wantsCardSaved(input.data, cart?.startsSubscription)
          ? accountHolderId
          : undefined
      const created = await this.client.createSession({
        profile_id: this.options.profileId,
        url: { return_url: returnUrlFor(input.data, this.options.returnUrl, this.logger), callback_url: callbackUrl(this.options).toString() },
        order: {
          amount,
          currency,
          merchant_reference: medusaSessionId,
          ...(cart ? { merchant_reference_2: cart.id } : {}),
          vat_amount: sumVat(items),
          items,
        },
        ...(customer
          ? {
              customer: {
                customer_id: customer.id,
                email: customer.email || undefined,
                phone_number: e123(customer.phone ?? customer.billing_address?.phone),
                ...(savedCard ? { tokens: customerPresentTokens(savedCard.card.payment_product_type, savedCard.tokens) } : {}),
              },
            }
          : {}),
        configuration: {
          auto_capture: this.options.autoCapture,
          ...(saveCardTo ? tokenRequestConfiguration(this.options.paymentProductType) : {}),
        },
        ...(this.options.sessionTtlMinutes
          ? { expires_at: new Date(Date.now() + this.options.sessionTtlMinutes * 60_000).toISOString() }
          : {}),
        metadata: medusaSessionMetadata(medusaSessionId),
      })
      const data: DinteroData = {
        session_id: created.id,
        checkout_url: created.url,
        medusa_session_id: medusaSessionId,
        amount,
        currency,
        ...(saveCardTo ? { save_card_to: saveCardTo } : {}),
        ...(savedCard ? { saved_card_id: savedCard.card.id } : {}),
      }
      return { id: created.id, status: PaymentSessionStatus.PENDING, data: { dintero: data } }
    } catch (error) {
      throw toMedusaError(error, "create a checkout session")
    }
  }

  async updatePayment(input: UpdatePaymentInput): Promise<UpdatePaymentOutput> {
    const current = readDinteroData(input.data)
    const currency = input.currency_code.toUpperCase()
    const amount = toMinorUnits(MathBN.convert(input.amount).toFixed(), currency)
    if (amount === current.amount && currency === current.currency) {
      return { data: input.data }
    }
    if (current.card_verification || amount === 0) {
      // A token session has no amount to change, and a checkout session cannot become one: the verification
      // of a card would otherwise stand for an amount nobody paid (or a payment for a cart with nothing to pay).
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "This Dintero session cannot change between saving a card with nothing to pay and a payment: create a new payment session."
      )
    }
    try {
      const cart = await this.cartFor(current.medusa_session_id)
      if (current.express) {
        await this.updateExpressSession(current.session_id, cart, amount, currency, { withoutLock: true })
        return { status: PaymentSessionStatus.PENDING, data: withDinteroData(input.data, { ...current, amount, currency }) }
      }
      const items = buildOrderLines(cart, amount, currency)
      // No merchant_reference: the session keeps the one it was created with (SessionOrderUpdate has none).
      await this.client.updateSession(current.session_id, {
        amount,
        currency,
        vat_amount: sumVat(items),
        items,
      })
      return { status: PaymentSessionStatus.PENDING, data: withDinteroData(input.data, { ...current, amount, currency }) }
    } catch (error) {
      throw toMedusaError(error, "update the checkout session")
    }
  }

  async authorizePayment(input: AuthorizePaymentInput): Promise<AuthorizePaymentOutput> {
    const approvedByPay = approvedByPayAnswer(input)
    if (approvedByPay) {
      // The renewal authorizes the session it has just created from Dintero's answer to /sessions/pay, which is
      // the whole transaction: reading it again would only ask Dintero what it has just said.
      return { status: approvedByPay, data: input.data ?? {} }
    }
    // When the card is to be saved, read the tokens with the same request (Dintero returns them only with includes).
    const withTokens = Boolean((input.data?.dintero as { save_card_to?: string } | undefined)?.save_card_to)
    const state = await this.readState(input.data, "check the payment", withTokens ? TOKEN_INCLUDES : [], { withCallbackRead: true })
    if (!state.transaction) {
      const verifying = state.data.card_verification
      throw new MedusaError(
        MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
        state.declined
          ? "The card was declined by Dintero. The customer can try again with another card."
          : verifying
            ? "The card has not been saved on Dintero's page yet: nothing is to be paid now, but the subscription needs it."
            : "The payment has not been completed in Dintero's checkout yet."
      )
    }
    const status = toSessionStatus(state.transaction.status)
    if (status === PaymentSessionStatus.ERROR && state.data.merchant_initiated) {
      // A held merchant-initiated charge (ON_HOLD) that Dintero then declined: for the renewal a decline is
      // data, with Dintero's retry policy, not an error. Medusa saves the session as `error` with this data.
      const decline = declineOf(latestError(state.transaction) ?? {})
      return { status, data: withDinteroData(input.data, { ...state.data, decline }) }
    }
    if (status === PaymentSessionStatus.ERROR || status === PaymentSessionStatus.CANCELED) {
      throw new MedusaError(
        MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
        `Dintero reports the payment as ${state.transaction.status}${describeDecline(state.transaction)}.`
      )
    }
    if (state.data.card_verification) {
      // Nothing was paid: the saved card is the whole point, so a card that cannot be saved fails the checkout.
      await this.saveVerifiedCard(state.data, state.transaction)
    } else if (state.data.save_card_to) {
      await this.saveCard(state.data.save_card_to, state.transaction)
    }
    return { status, data: withDinteroData(input.data, state.data) }
  }

  async getPaymentStatus(input: GetPaymentStatusInput): Promise<GetPaymentStatusOutput> {
    const state = await this.readState(input.data, "check the payment")
    const status = state.transaction ? toSessionStatus(state.transaction.status) : PaymentSessionStatus.PENDING
    return { status, data: withDinteroData(input.data, state.data) }
  }

  async retrievePayment(input: RetrievePaymentInput): Promise<RetrievePaymentOutput> {
    const state = await this.readState(input.data, "retrieve the payment")
    return { data: withDinteroData(input.data, state.data) }
  }

  // ── Transactions ───────────────────────────────────────────────────────────────────────────────────

  async capturePayment(input: CapturePaymentInput): Promise<CapturePaymentOutput> {
    const captureReference = input.context?.idempotency_key
    const recorded = readDinteroData(input.data)
    if (recorded.card_verification) {
      // The verification of a card saved with nothing to pay: Medusa's capture of its 0 is recorded, nothing is sent.
      return { data: input.data }
    }
    return this.oneOperationAtATime(recorded, async () => {
      // Medusa's records first: an amount that cannot be moved exactly is refused before Dintero is asked.
      const records = await this.medusaRecords("CAPTURE", captureReference, recorded)
      const { data: read, transaction } = await this.requireTransaction(input.data, "capture the payment")
      // A final-capture request is for this capture only: whatever happens next, it is not kept.
      const { final_capture_requested: finalRequest, ...kept } = read
      const data = finalRequest ? { ...kept, final_capture_requested: null } : kept
      try {
        if (captureReference && hasOperation(transaction, "CAPTURE", captureReference)) {
          return { data: withDinteroData(input.data, data) }
        }
        if (records?.madeInDintero) {
          // Keeps any final-capture request: it belongs to the admin's capture, not to this record.
          return { data: withDinteroData(input.data, this.adoptMadeInDintero("CAPTURE", records, transaction, read)) }
        }
        const remaining = transaction.amount - movedByDintero(transaction, "CAPTURE")
        if (remaining <= 0) {
          // Auto-capture or a capture in Dintero's backoffice got there first: nothing left to do.
          return { data: withDinteroData(input.data, data) }
        }
        const amount = Math.min(records ? this.toSend("CAPTURE", records, transaction, captureReference) : remaining, remaining)
        if (amount <= 0) {
          return { data: withDinteroData(input.data, data) }
        }
        const refusal = partialCaptureRefusal(transaction.payment_product_type, amount, remaining)
        if (refusal) {
          // Refused before anything is sent: Medusa deletes its capture record when the provider throws.
          throw new MedusaError(MedusaError.Types.NOT_ALLOWED, refusal)
        }
        const items = await this.requiredItems(transaction, "CAPTURE", amount, recorded)
        const final = finalRequest && records?.requested === finalRequest.amount ? finalCaptureMethod(transaction) : undefined
        if (final?.method === "refused") {
          throw new MedusaError(MedusaError.Types.NOT_ALLOWED, final.reason)
        }
        const captured = await this.client.captureTransaction(transaction.id, {
          amount,
          capture_reference: captureReference,
          items,
          ...(final?.method === "final_capture" ? { final_capture: true } : {}),
        })
        // Where the product has no final_capture, the rest is released with a void after the capture.
        const settled = final?.method === "void" && releasePlan(captured).action === "void" ? await this.client.voidTransaction(transaction.id) : captured
        return { data: withDinteroData(input.data, { ...data, transaction_status: settled.status }) }
      } catch (error) {
        throw toMedusaError(error, `capture transaction ${transaction.id}`)
      }
    })
  }

  async refundPayment(input: RefundPaymentInput): Promise<RefundPaymentOutput> {
    const refundReference = input.context?.idempotency_key
    const recorded = readDinteroData(input.data)
    if (recorded.card_verification) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "Nothing was paid with this Dintero session (it only saved the card for a subscription): there is nothing to refund."
      )
    }
    return this.oneOperationAtATime(recorded, async () => {
      const records = await this.medusaRecords("REFUND", refundReference, recorded)
      const requested = records?.requested ?? requestedMinorUnits(input.amount, recorded.currency)
      const { data, transaction } = await this.requireTransaction(input.data, "refund the payment")
      try {
        if (refundReference && hasOperation(transaction, "REFUND", refundReference)) {
          return { data: withDinteroData(input.data, data) }
        }
        if (records?.madeInDintero) {
          return { data: withDinteroData(input.data, this.adoptMadeInDintero("REFUND", records, transaction, data)) }
        }
        const amount = records ? this.toSend("REFUND", records, transaction, refundReference) : requested
        if (amount <= 0) {
          return { data: withDinteroData(input.data, data) }
        }
        const items = await this.requiredItems(transaction, "REFUND", amount, recorded)
        const refunded = await this.client.refundTransaction(transaction.id, { amount, refund_reference: refundReference, items })
        return { data: withDinteroData(input.data, { ...data, transaction_status: refunded.status }) }
      } catch (error) {
        throw toMedusaError(error, `refund transaction ${transaction.id}`)
      }
    })
  }

  async cancelPayment(input: CancelPaymentInput): Promise<CancelPaymentOutput> {
    if (readDinteroData(input.data).card_verification) {
      // A card verification reserved nothing, so nothing is released at Dintero; the saved card stays the
      // customer's, like a card saved at a checkout whose order is later canceled.
      return { data: input.data }
    }
    const state = await this.readState(input.data, "cancel the payment")
    const transaction = state.transaction
    try {
      if (!transaction) {
        await this.client.cancelSession(state.data.session_id)
        return { data: withDinteroData(input.data, state.data) }
      }
      if (transaction.status === "AUTHORIZATION_VOIDED") {
        return { data: withDinteroData(input.data, state.data) }
      }
      const livePayment = await this.liveOtherPayment(state.data.medusa_session_id, input.context?.idempotency_key)
      if (livePayment) {
        // Medusa's authorizePaymentSession cancels with the provider when recording its Payment fails, e.g.
        // because a concurrent authorization of the same session recorded it first. That authorization is
        // the order's money: voiding it here would leave Medusa showing a payment Dintero has released.
        this.logger?.warn(
          `Dintero: not voiding transaction ${transaction.id}: payment ${livePayment} of session ` +
            `${state.data.medusa_session_id} is live in Medusa (this cancellation is not for that payment)`
        )
        return { data: withDinteroData(input.data, state.data) }
      }
      if (!capabilitiesOf(transaction.payment_product_type).voidable) {
        // Swish cannot be voided: Dintero has it CAPTURED from the start, and a cancel returns the money.
        return await this.refundInsteadOfVoid(input.data, state.data, transaction)
      }
      if (capturedAmount(transaction) > 0) {
        // Part-captured: what is captured stays (it is returned with a refund); only the rest is released.
        return await this.releaseUncaptured(input.data, state.data, transaction)
      }
      const voided = await this.client.voidTransaction(transaction.id)
      return { data: withDinteroData(input.data, { ...state.data, transaction_status: voided.status }) }
    } catch (error) {
      throw toMedusaError(error, `cancel transaction ${transaction?.id ?? state.data.session_id}`)
    }
  }

  /**
   * A cancel of a payment Dintero cannot void (Swish, captured when paid) refunds what is still captured, as
   * Dintero requires (its WooCommerce plugin refunds Swish orders on cancel). Once, however often and however
   * concurrently the cancel arrives: inside the payment's operation lock the transaction is read again, and only
   * what Dintero shows captured and not refunded (refunds under way included, money-reconciliation.ts) is sent,
   * under one reference per payment session. A lost answer is found on the next read and not sent again.
   */
  private async refundInsteadOfVoid(raw: Record<string, unknown> | undefined, recorded: DinteroData, read: Transaction) {
    return this.oneOperationAtATime(recorded, async () => {
      const transaction = (await this.readState(raw, "refund the cancelled payment")).transaction ?? read
      const reference = `cancel-${recorded.medusa_session_id}`
      const refundable = capturedAmount(transaction) - movedByDintero(transaction, "REFUND")
      if (hasOperation(transaction, "REFUND", reference) || refundable <= 0) {
        return { data: withDinteroData(raw, { ...recorded, transaction_status: transaction.status }) }
      }
      const items = await this.requiredItems(transaction, "REFUND", refundable, recorded)
      const refunded = await this.client.refundTransaction(transaction.id, {
        amount: refundable,
        refund_reference: reference,
        reason: "Payment cancelled",
        items,
      })
      this.logger?.info(`Dintero: refunded ${refundable} minor units of ${transaction.payment_product_type} transaction ${transaction.id} instead of a void.`)
      return { data: withDinteroData(raw, { ...recorded, transaction_status: refunded.status }) }
    })
  }

  /**
   * Releases the uncaptured rest of a part-captured transaction where Dintero allows it (release.ts), one
   * operation at a time with captures and refunds so a capture in flight is never voided. Where Dintero
   * cannot release it, the refusal says why and nothing changes.
   */
  private async releaseUncaptured(raw: Record<string, unknown> | undefined, recorded: DinteroData, read: Transaction) {
    return this.oneOperationAtATime(recorded, async () => {
      // Read again inside the lock: a capture that finished meanwhile changes what is left.
      const transaction = (await this.readState(raw, "release the rest of the payment")).transaction ?? read
      const plan = releasePlan(transaction)
      if (plan.action === "refused") {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, plan.reason)
      }
      if (plan.action === "none") {
        return { data: withDinteroData(raw, { ...recorded, transaction_status: transaction.status }) }
      }
      const voided = await this.client.voidTransaction(transaction.id)
      this.logger?.info(`Dintero: released the uncaptured ${plan.uncaptured} minor units of transaction ${transaction.id}.`)
      return { data: withDinteroData(raw, { ...recorded, transaction_status: voided.status }) }
    })
  }

  /**
   * Medusa deletes sessions when the cart changes. On its clean-up path after a failed initiate it passes
   * only the storefront's data, without our `dintero` key: then there is nothing of ours to cancel.
   */
  async deletePayment(input: DeletePaymentInput): Promise<DeletePaymentOutput> {
    if (!input.data?.dintero) {
      return { data: input.data }
    }
    const data = readDinteroData(input.data)
    if (data.express) {
      // Medusa deletes a cart's payment sessions whenever its total changes (core-flows
      // refreshPaymentCollectionForCartWorkflow), which an express checkout does on every address, shipping and
      // discount step while the shopper is still inside this Dintero session. The session is kept; the plugin
      // links a new Medusa session to it (docs/express.md). A payment made on it that no live Medusa session
      // stands for any more, or for another amount than the cart's, is refused and voided when it arrives.
      return { data: input.data }
    }
    try {
      const session = await this.client.getSession(data.session_id)
      // A card verification's token session carries no metadata: its merchant_reference is the Medusa session.
      const owner = medusaSessionOf(session.metadata) ?? (data.card_verification ? session.order?.merchant_reference : undefined)
      if (owner !== data.medusa_session_id || session.cancelled_at) {
        return { data: input.data }
      }
      if (data.card_verification && session.transaction_id) {
        // The card was verified already: that reserved nothing, so there is nothing to release at Dintero.
        return { data: input.data }
      }
      await this.client.cancelSession(data.session_id)
    } catch (error) {
      // A session that is already paid and captured, or gone, cannot be cancelled: that is fine here.
      if (!(error instanceof DinteroError && (error.status === 400 || error.status === 404))) {
        throw toMedusaError(error, `cancel checkout session ${data.session_id}`)
      }
    }
    return { data: input.data }
  }

  // ── Account holders and saved cards ─────────────────────────────────────────────────────────────────
  // Dintero has no customer object: the account holder is ours, keyed by the Medusa customer, and holds
  // the saved cards (see card-vault.ts).

  async createAccountHolder(input: CreateAccountHolderInput): Promise<CreateAccountHolderOutput> {
    const existing = input.context.account_holder as AccountHolderDTO | undefined
    if (existing?.external_id) {
      return { id: existing.external_id, data: existing.data ?? {} }
    }
    return { id: input.context.customer.id, data: { cards: [] } }
  }

  async updateAccountHolder(input: UpdateAccountHolderInput): Promise<UpdateAccountHolderOutput> {
    return { data: input.context.account_holder.data ?? {} }
  }

  async deleteAccountHolder(_input: DeleteAccountHolderInput): Promise<DeleteAccountHolderOutput> {
    // Nothing is kept at Dintero per customer; the account holder row (and its sealed tokens) is all there is.
    return {}
  }

  async listPaymentMethods(input: ListPaymentMethodsInput): Promise<ListPaymentMethodsOutput> {
    const holderId = accountHolderIdOf(input.context)
    if (!holderId) {
      return []
    }
    const cards = await this.vault.cards(holderId)
    return cards.map((card) => ({ id: card.id, data: publicCard(card) as unknown as Record<string, unknown> }))
  }

  /** Saves the card a Dintero transaction was paid with (`data.transaction_id`) on the account holder. */
  async savePaymentMethod(input: SavePaymentMethodInput): Promise<SavePaymentMethodOutput> {
    const holderId = accountHolderIdOf(input.context)
    const transactionId = typeof input.data?.transaction_id === "string" ? input.data.transaction_id : undefined
    if (!holderId || !transactionId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Saving a Dintero card needs an account holder and data.transaction_id.")
    }
    const card = await this.saveCard(holderId, transactionId, { throwOnFailure: true })
    if (!card) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Dintero transaction ${transactionId} carries no card token.`)
    }
    return { id: card.id, data: publicCard(card) as unknown as Record<string, unknown> }
  }

  async deletePaymentMethod(input: DeletePaymentMethodInput): Promise<DeletePaymentMethodOutput> {
    const holderId = accountHolderIdOf(input.context)
    const cardId = input.data?.id
    if (!holderId || typeof cardId !== "string" || !(await this.vault.remove(holderId, cardId))) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Saved card ${String(cardId)} was not found for this customer.`)
    }
    return { data: { id: cardId } }
  }

  // ── Callbacks ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Dintero's callback, through the plugin's /hooks/dintero/callback route (or Medusa's /hooks/payment route,
   * which is refused when a callback secret is set): see callback.ts for how it is verified and read.
   */
  async getWebhookActionAndData(payload: ProviderWebhookPayload["payload"]): Promise<WebhookActionResult> {
    return readDinteroCallback({ client: this.client, options: this.options, logger: this.logger }, payload)
  }

  // ── Helpers ────────────────────────────────────────────────────────────────────────────────────────

  /**
   * A Payment Medusa holds for this payment session, not canceled, other than `cancelling` (the payment a
   * real cancellation names in its idempotency key). Medusa keeps at most one Payment per session.
   */
  private async liveOtherPayment(medusaSessionId: string, cancelling: string | undefined): Promise<string | undefined> {
    if (!this.cradle.paymentService) {
      return undefined
    }
    const payments = await this.cradle.paymentService.list(
      { payment_session_id: medusaSessionId, canceled_at: null },
      { select: ["id"] }
    )
    return payments.find((payment) => payment.id !== cancelling)?.id
  }

  private async readState(
    raw: Record<string, unknown> | undefined,
    action: string,
    includes: TokenInclude[] = [],
    options: { withCallbackRead?: boolean } = {}
  ): Promise<PaymentState> {
    try {
      const data = readDinteroData(raw)
      // Authorizing inside a Dintero callback: the transaction that callback has just read from Dintero.
      const verified = options.withCallbackRead ? takeVerifiedTransaction(data.session_id) : undefined
      return await readPaymentState(this.client, data, includes, verified)
    } catch (error) {
      throw toMedusaError(error, action)
    }
  }

  private async requireTransaction(raw: Record<string, unknown> | undefined, action: string) {
    const state = await this.readState(raw, action)
    if (!state.transaction) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Dintero could not ${action}: the customer has not paid yet.`)
    }
    return { data: state.data, transaction: state.transaction }
  }

  /** Medusa's records of this payment's captures or refunds (see money-reconciliation.ts). */
  private async medusaRecords(kind: MoneyOperation, recordId: string | undefined, data: DinteroData) {
    const records = kind === "CAPTURE" ? this.cradle.captureService : this.cradle.refundService
    return readMedusaRecords({ records, payments: this.cradle.paymentService }, recordId, data.currency, data.amount)
  }

  /** What is still to be sent for this request; money an earlier lost attempt moved is adopted, and said so. */
  private toSend(kind: MoneyOperation, records: MedusaRecords, transaction: Transaction, reference?: string): number {
    const { send, adopted } = amountToSend(records, movedByDintero(transaction, kind))
    if (adopted > 0) {
      this.logger?.warn(
        `Dintero: transaction ${transaction.id} already shows ${adopted} minor units of ${kind} that Medusa has no record of ` +
          `(an earlier attempt whose answer was lost); ${reference ?? "this request"} adopts them and sends ${send}.`
      )
    }
    return send
  }

  /**
   * A record of money already moved in Dintero's Backoffice is adopted, never sent: Dintero must show all of
   * the payment's records of this kind, this one included, as moved. When it does not (Medusa recorded more
   * meanwhile, e.g. an admin's capture adopted that money first), the record is refused before anything is
   * sent, so Medusa drops it (payment module capturePayment/refundPayment delete a record the provider
   * refuses) and the callback workflow, reading again, records only what is still missing.
   */
  private adoptMadeInDintero(kind: MoneyOperation, records: MedusaRecords, transaction: Transaction, data: DinteroData): DinteroData {
    const moved = movedByDintero(transaction, kind)
    const { send } = amountToSend(records, moved)
    if (send > 0) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Dintero shows ${moved} minor units of ${kind} on transaction ${transaction.id}, less than Medusa would record with this ` +
          `${records.requested} made in Dintero's Backoffice (${records.recordedTotal} in all): not recorded, nothing sent.`
      )
    }
    this.logger?.info(
      `Dintero: recorded ${records.requested} minor units of ${kind} made in Dintero's Backoffice on transaction ${transaction.id} (nothing sent to Dintero).`
    )
    return { ...data, transaction_status: transaction.status }
  }

  /**
   * The order lines a capture or refund of `amount` applies to (see operation-items.ts). A transaction
   * whose lines cannot carry the amount (made outside this plugin) is still captured, without items, and
   * that is said: Instabank and Walley/Collector would refuse it.
   */
  private async itemsFor(transaction: Transaction, kind: MoneyOperation, amount: number, data: DinteroData) {
    // A capture of exactly the fulfilled, not yet captured lines (a refund of exactly the returned ones)
    // names those lines; any other amount is shared over the lines (targeted-items.ts).
    const ledger = lineLedger(transaction, kind)
    if (!("reason" in ledger)) {
      const progress = await this.orderProgressFor(data.medusa_session_id)
      const shares = progress && targetedShares(ledger, amount, kind === "CAPTURE" ? { ...progress.fulfilled, creditCovers: true } : progress.returned)
      if (shares) {
        return itemsOf(ledger.lines, shares)
      }
    }
    const allocation = operationItems(transaction, kind, amount)
    if (!allocation.items) {
      this.logger?.warn(`Dintero: ${kind} of ${amount} on transaction ${transaction.id} is sent without items: ${allocation.reason}.`)
    }
    return allocation.items
  }

  /**
   * Items for a product that cannot do without them (Walley/Collector, Instabank): refused before anything is
   * sent when the transaction's lines cannot carry the amount, rather than sending what Dintero refuses.
   */
  private async requiredItems(transaction: Transaction, kind: MoneyOperation, amount: number, data: DinteroData) {
    const items = await this.itemsFor(transaction, kind, amount, data)
    const product = capabilitiesOf(transaction.payment_product_type)
    if (!items && product.itemsRequired) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `${product.label} payments (${transaction.payment_product_type}) need the order lines on every ${kind === "CAPTURE" ? "capture" : "refund"}, ` +
          `and the lines of transaction ${transaction.id} cannot carry ${amount} minor units. Nothing was sent to Dintero.`
      )
    }
    return items
  }

  /**
   * Captures and refunds of one payment are reconciled and sent one at a time, Medusa's records read inside
   * the lock: two requests reading the same totals at once could each adopt, or each send, the same money.
   */
  private oneOperationAtATime<T>(data: DinteroData, job: () => Promise<T>): Promise<T> {
    const locking = container.hasRegistration(Modules.LOCKING)
      ? (container.resolve(Modules.LOCKING) as { execute<R>(key: string, job: () => Promise<R>, args?: { timeout?: number }): Promise<R> })
      : undefined
    return locking ? locking.execute(`dintero-money:${data.session_id}`, job, { timeout: 60 }) : job()
  }

  /**
   * Saves the card of a transaction read with its tokens (or reads it so). A card that cannot be saved must
   * not undo a successful payment: that is logged (without the token).
   */
  private async saveCard(holderId: string, transaction: Transaction | string, options: { throwOnFailure?: boolean } = {}) {
    const transactionId = typeof transaction === "string" ? transaction : transaction.id
    try {
      const withTokens = typeof transaction === "string" ? await this.client.getTransaction(transaction, TOKEN_INCLUDES) : transaction
      return await this.vault.saveFromTransaction(holderId, withTokens)
    } catch (error) {
      if (options.throwOnFailure) {
        throw toMedusaError(error, `save the card of transaction ${transactionId}`)
      }
      this.logger?.warn(`Dintero: the card of transaction ${transactionId} was not saved: ${(error as Error).message}`)
      return undefined
    }
  }

  /**
   * A checkout with nothing to pay (zero-amount-checkout.ts): Dintero's zero-amount token session, for a
   * logged-in customer whose cart starts a subscription, instead of a checkout session. Refused, before
   * Dintero is asked, for anything else.
   */
  private async openCardVerification(
    input: InitiatePaymentInput,
    checkout: { medusaSessionId: string; currency: string; cart?: { id: string; startsSubscription?: boolean }; accountHolderId?: string; savedCardId?: string }
  ): Promise<InitiatePaymentOutput> {
    const customer = input.context?.customer
    const refusal = zeroAmountRefusal(this.options, {
      startsSubscription: Boolean(checkout.cart?.startsSubscription),
      customerId: customer?.id,
      accountHolderId: checkout.accountHolderId,
      savedCardId: checkout.savedCardId,
    })
    if (refusal) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, refusal)
    }
    const created = await this.client.createPaymentTokenSession(
      zeroAmountTokenSessionRequest(this.options, {
        medusaSessionId: checkout.medusaSessionId,
        cartId: checkout.cart?.id,
        currency: checkout.currency,
        returnUrl: returnUrlFor(input.data, this.options.returnUrl, this.logger),
        customer: { id: customer!.id, email: customer!.email },
      })
    )
    const data: DinteroData = {
      session_id: created.id,
      checkout_url: created.url,
      medusa_session_id: checkout.medusaSessionId,
      amount: 0,
      currency: checkout.currency,
      card_verification: true,
      save_card_to: checkout.accountHolderId,
    }
    return { id: created.id, status: PaymentSessionStatus.PENDING, data: { dintero: data } }
  }

  /** The card of a zero-amount checkout's verification, saved on the account holder or the checkout fails. */
  private async saveVerifiedCard(data: DinteroData, transaction: Transaction) {
    if (!isCardVerification(transaction) || !data.save_card_to) {
      throw new MedusaError(
        MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
        `Dintero transaction ${transaction.id} is not the verification of a card saved with nothing to pay.`
      )
    }
    const card = await this.saveCard(data.save_card_to, transaction, { throwOnFailure: true })
    if (!card) {
      throw new MedusaError(
        MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR,
        `Dintero transaction ${transaction.id} carries no card token: the card for the subscription was not saved.`
      )
    }
  }

  private async savedCardTokens(holderId: string | undefined, cardId: string) {
    if (!holderId) {
      throw new MedusaError(MedusaError.Types.UNAUTHORIZED, "Log in to pay with a saved card.")
    }
    return this.vault.tokensFor(holderId, cardId)
  }

  /** Express for this session: the storefront's `data.express`, else the provider option. */
  private wantsExpress(data: Record<string, unknown> | undefined): boolean {
    return typeof data?.express === "boolean" ? data.express : this.options.express
  }

  /**
   * An express checkout (express.ts, docs/express.md). The Dintero session is the cart's for the whole checkout:
   * when the plugin itself re-creates the Medusa payment session after a cart change (server-side context
   * `dintero_express`, which no storefront can set: Medusa's store route passes no context), the same Dintero
   * session is linked again, after checking with Dintero that it is this cart's express session and still open;
   * its order is updated unless the plugin says the caller answers Dintero itself (a callback's answer) or the
   * session is paid already.
   */
  private async openExpressCheckout(
    input: InitiatePaymentInput,
    checkout: { medusaSessionId: string; amount: number; currency: string; cart: NonNullable<Awaited<ReturnType<DinteroProviderService["cartFor"]>>> }
  ): Promise<InitiatePaymentOutput> {
    const { medusaSessionId, amount, currency, cart } = checkout
    const link = expressLinkOf(input.context)
    const base = { medusa_session_id: medusaSessionId, amount, currency, express: true, cart_id: cart.id }
    if (link) {
      const session = await this.client.getSession(link.session_id)
      if (session.order?.merchant_reference_2 !== cart.id || !isExpressMetadata(session.metadata) || session.cancelled_at) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Dintero session ${link.session_id} is not an open express checkout of cart ${cart.id}.`)
      }
      if (!session.transaction_id && link.update !== "none") {
        await this.updateExpressSession(link.session_id, cart, amount, currency, { withoutLock: link.update !== "locked" })
      }
      const data: DinteroData = { session_id: link.session_id, ...(link.checkout_url ? { checkout_url: link.checkout_url } : {}), ...base }
      return { id: link.session_id, status: PaymentSessionStatus.PENDING, data: { dintero: data } }
    }
    const order = expressOrder(cart, amount, currency)
    const customer = input.context?.customer
    const created = await this.client.createSession({
      profile_id: this.options.profileId,
      url: { return_url: returnUrlFor(input.data, this.options.returnUrl, this.logger), callback_url: callbackUrl(this.options).toString() },
      order: { ...order, currency, merchant_reference: medusaSessionId, merchant_reference_2: cart.id },
      ...(customer
        ? { customer: { customer_id: customer.id, email: customer.email || undefined, phone_number: e123(customer.phone ?? customer.billing_address?.phone) } }
        : {}),
      configuration: {
        auto_capture: this.options.autoCapture,
        ...(this.options.expressMaxDiscountCodes > 0 ? { discounts: { express_discount_codes: { enabled: true } } } : {}),
      },
      express: expressBlock(this.options, await expressShippingOptions(cart, this.logger)),
      ...(this.options.sessionTtlMinutes ? { expires_at: new Date(Date.now() + this.options.sessionTtlMinutes * 60_000).toISOString() } : {}),
      metadata: { ...medusaSessionMetadata(medusaSessionId), [EXPRESS_METADATA_KEY]: EXPRESS_METADATA_VALUE },
    })
    const data: DinteroData = { session_id: created.id, checkout_url: created.url, ...base }
    return { id: created.id, status: PaymentSessionStatus.PENDING, data: { dintero: data } }
  }

  /** PUT the cart's express order and shipping options on the Dintero session (with the payer's lock or without). */
  private async updateExpressSession(
    sessionId: string,
    cart: Awaited<ReturnType<DinteroProviderService["cartFor"]>>,
    amount: number,
    currency: string,
    lock: { withoutLock: boolean }
  ) {
    const order = expressOrder(cart, amount, currency)
    const shippingOptions = cart ? await expressShippingOptions(cart, this.logger) : []
    await this.client.updateSession(
      sessionId,
      { ...order, currency, ...(cart ? { merchant_reference_2: cart.id } : {}) },
      { express: { shipping_options: shippingOptions, shipping_mode: "shipping_required" }, withoutLock: lock.withoutLock }
    )
  }

  private wantsCardSaved(data: Record<string, unknown> | undefined, startsSubscription = false): boolean {
    switch (this.options.saveCards) {
      case "never":
        return false
      case "on_request":
        return data?.save_card === true
      case "subscriptions":
        return data?.save_card === true || startsSubscription
    }
  }

  private async orderProgressFor(medusaSessionId: string) {
    if (!medusaSessionId || !this.cradle.paymentSessionService) {
      return undefined
    }
    const session = await this.cradle.paymentSessionService
      .retrieve(medusaSessionId, { select: ["id", "payment_collection_id"] })
      .catch(() => undefined)
    return session ? loadOrderProgress(session.payment_collection_id, this.logger) : undefined
  }

  private async cartFor(medusaSessionId: string) {
    if (!medusaSessionId || !this.cradle.paymentSessionService) {
      return undefined
    }
    return loadCartSnapshot(medusaSessionId, this.logger)
  }
}

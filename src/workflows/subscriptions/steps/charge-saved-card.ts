import { MedusaError, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import type { IPaymentModuleService, PaymentSessionDTO } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { fromMinorUnits } from "../../../lib/dintero"
import { toChargeItems } from "../../../modules/subscription/lines"
import { CARD_BLOCKED_CODE } from "../../../providers/dintero/card-vault"
import type { AccountHolder } from "../helpers"
import type { OpenCharge } from "./open-charge"

export type Decline = {
  code?: string
  message?: string
  types: string[]
  retry_codes: string[]
  retry_after?: string
}

export type ChargeOutcome =
  | { status: "succeeded"; payment_id: string; transaction_id: string | null }
  | { status: "failed"; transaction_id: string | null; decline: Decline }
  | { status: "unknown"; message: string }

const APPROVED: string[] = [PaymentSessionStatus.AUTHORIZED, PaymentSessionStatus.CAPTURED]
/**
 * Medusa writes a payment session before it asks the provider: a pending one younger than this, for the same
 * merchant_reference, is another process charging right now (a dead one's is older: as the lock's TTL).
 */
const IN_FLIGHT_MS = 120_000
/** Refusals raised before any money can move: no saved card, an expired card, a request Dintero rejected. */
const REFUSED: string[] = [MedusaError.Types.NOT_FOUND, MedusaError.Types.INVALID_DATA, MedusaError.Types.NOT_ALLOWED]

/**
 * Charges the saved card through Medusa's payment module: a payment session whose data asks the Dintero
 * provider for a merchant-initiated charge, then its authorization, which creates the Payment (and its
 * capture, as Dintero captured it). Never throws: the outcome is data the next step records. Not
 * compensated: money that moved is never moved back automatically.
 *
 * A session approved by a run that crashed before recording it is used instead of charging again; and when an
 * earlier attempt's outcome is unknown the provider looks the merchant_reference up at Dintero first, so
 * retrying it is safe. A first attempt makes one request to Dintero (`/v1/sessions/pay`).
 */
export const chargeSavedCardStep = createStep(
  "charge-subscription-saved-card",
  async (
    input: { charge: OpenCharge | null; account_holder: AccountHolder | null; provider_id: string; settle_only?: boolean },
    { container }
  ) => {
    const { charge } = input
    if (!charge) {
      return new StepResponse<ChargeOutcome | null>(null)
    }
    if (!input.account_holder) {
      return new StepResponse<ChargeOutcome | null>(refusal("no_saved_card", "The customer has no saved Dintero cards."))
    }
    const paymentModule = container.resolve(Modules.PAYMENT)
    let session: PaymentSessionDTO
    const sameCharge = (s: PaymentSessionDTO) => (s.data as any)?.merchant_initiated?.merchant_reference === charge.merchant_reference
    const sessions = await paymentModule.listPaymentSessions({ payment_collection_id: charge.payment_collection_id })
    const request = {
      card_id: charge.card_id,
      merchant_reference: charge.merchant_reference,
      capture: true,
      items: toChargeItems(charge.items),
      // Dintero is searched for an earlier charge with this reference only when one may exist without our
      // knowing: a recorded attempt whose outcome is unknown, or a session of this reference that Dintero's
      // answer never reached (Medusa writes the session before asking the provider; a declined one is `error`).
      // A first attempt, or one after recorded declines, pays at once: one request to Dintero.
      earlier_outcomes_known: !charge.outcome_unknown && !sessions.some((s) => sameCharge(s) && s.status !== PaymentSessionStatus.ERROR),
    }
    const inFlight = sessions.find(
      (s) => sameCharge(s) && s.status === PaymentSessionStatus.PENDING && Date.now() - new Date((s as any).created_at ?? 0).getTime() < IN_FLIGHT_MS
    )
    if (inFlight && !sessions.some((s) => sameCharge(s) && APPROVED.includes(s.status))) {
      // Thrown, not returned: recording an outcome here would overwrite what the other process records.
      throw new MedusaError(MedusaError.Types.CONFLICT, `${charge.merchant_reference} is being charged by another process right now; nothing was charged here.`)
    }
    const approved = sessions.find((s) => APPROVED.includes(s.status) && sameCharge(s))
    const held = sessions.find(
      (s) => sameCharge(s) && s.status === PaymentSessionStatus.PENDING_AUTHORIZATION && (s.data as any)?.dintero?.transaction_id
    )
    if (!approved && held) {
      return new StepResponse<ChargeOutcome | null>(await settleHeldCharge(paymentModule, held))
    }
    if (!approved && input.settle_only) {
      return new StepResponse<ChargeOutcome | null>({ status: "unknown", message: "No charge held by Dintero was found to settle." })
    }
    try {
      session =
        approved ??
        (await paymentModule.createPaymentSession(charge.payment_collection_id, {
          provider_id: input.provider_id,
          amount: fromMinorUnits(charge.amount, charge.currency_code.toUpperCase()),
          currency_code: charge.currency_code.toLowerCase(),
          // The charge request travels in the context, which only server-side callers can set: the store
          // API passes storefront input in `data` only. `data` keeps a copy to find the session again.
          context: { account_holder: input.account_holder as any, merchant_initiated: request } as any,
          data: { merchant_initiated: request },
        }))
    } catch (error) {
      const type = MedusaError.isMedusaError(error) ? (error as MedusaError).type : undefined
      const message = (error as Error)?.message ?? String(error)
      if ((error as MedusaError)?.code === CARD_BLOCKED_CODE) {
        // Refused before Dintero was asked: the card was declined with DO_NOT_RETRY (for this or another
        // subscription). Recorded as that decline, so dunning stops instead of trying it again.
        return new StepResponse<ChargeOutcome | null>({
          status: "failed",
          transaction_id: null,
          decline: { code: "card_blocked", message, types: [], retry_codes: ["DO_NOT_RETRY"] },
        })
      }
      return new StepResponse<ChargeOutcome | null>(
        type && REFUSED.includes(type) ? refusal(type, message) : { status: "unknown", message }
      )
    }
    const dintero = ((session.data as any)?.dintero ?? {}) as { transaction_id?: string; decline?: Decline }
    if (session.status === PaymentSessionStatus.ERROR) {
      return new StepResponse<ChargeOutcome | null>({
        status: "failed",
        transaction_id: dintero.transaction_id ?? null,
        decline: dintero.decline ?? { types: [], retry_codes: [] },
      })
    }
    if (!APPROVED.includes(session.status)) {
      return new StepResponse<ChargeOutcome | null>({ status: "unknown", message: `Dintero left the charge ${session.status}.` })
    }
    try {
      // A session created just now holds Dintero's answer to the charge: the provider need not read it again.
      const payment = await paymentModule.authorizePaymentSession(session.id, approved ? {} : { merchant_initiated_answer: true })
      if (!payment) {
        return new StepResponse<ChargeOutcome | null>({ status: "unknown", message: "The approved charge has no payment yet." })
      }
      return new StepResponse<ChargeOutcome | null>({ status: "succeeded", payment_id: payment.id, transaction_id: dintero.transaction_id ?? null })
    } catch (error) {
      // Dintero approved: the next run finds this session and authorizes it again, without a new charge.
      return new StepResponse<ChargeOutcome | null>({ status: "unknown", message: (error as Error)?.message ?? String(error) })
    }
  }
)

/**
 * A charge Dintero held for review (ON_HOLD: the session is `pending_authorization`, with the transaction id)
 * is settled on that very transaction, never by charging again: Medusa's authorizePaymentSession asks the
 * provider, which reads the transaction back from Dintero. AUTHORIZED (or CAPTURED) creates the Payment; still
 * ON_HOLD leaves it undecided; FAILED is saved on the session as `error` with Dintero's decline, which is
 * recorded as the attempt's decline so that dunning takes over.
 */
async function settleHeldCharge(paymentModule: IPaymentModuleService, held: PaymentSessionDTO): Promise<ChargeOutcome> {
  const transactionId = ((held.data as any)?.dintero?.transaction_id as string | undefined) ?? null
  try {
    const payment = await paymentModule.authorizePaymentSession(held.id, {})
    return payment
      ? { status: "succeeded", payment_id: payment.id, transaction_id: transactionId }
      : { status: "unknown", message: "Dintero still holds the charge for review (ON_HOLD)." }
  } catch (error) {
    const [after] = await paymentModule.listPaymentSessions({ id: held.id })
    if (after?.status === PaymentSessionStatus.ERROR) {
      const decline = ((after.data as any)?.dintero?.decline as Decline | undefined) ?? { types: [], retry_codes: [] }
      return { status: "failed", transaction_id: transactionId, decline }
    }
    return { status: "unknown", message: (error as Error)?.message ?? String(error) }
  }
}

function refusal(code: string, message: string): ChargeOutcome {
  return { status: "failed", transaction_id: null, decline: { code, message, types: [], retry_codes: [] } }
}

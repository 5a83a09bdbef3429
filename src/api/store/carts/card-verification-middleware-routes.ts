import {
  prepareRetrieveQuery,
  type MedusaNextFunction,
  type MedusaRequest,
  type MedusaResponse,
  type MiddlewareRoute,
} from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import { refetchCart } from "@medusajs/medusa/api/store/carts/helpers"
import { defaultStoreCartFields } from "@medusajs/medusa/api/store/carts/query-config"
import { authorizeCardVerificationWorkflowId, mayNeedCardVerification } from "../../../workflows/zero-amount-checkout"

/** As Medusa's route answers them (medusa api/store/carts/[id]/complete/route.js): the cart, with the reason, and a 200. */
const ANSWERED_WITH_CART = new Set<string>([MedusaError.Types.PAYMENT_AUTHORIZATION_ERROR, MedusaError.Types.PAYMENT_REQUIRES_MORE_ERROR])

/**
 * Medusa 2.21 completes a cart with nothing to pay without any payment, so a free trial's card would never be
 * saved. Before Medusa's own completion route runs, the plugin's workflow (workflows/zero-amount-checkout)
 * authorizes the cart's Dintero card verification under the cart lock Medusa's completion takes, or refuses.
 * A middleware adds to the route; it takes nothing from the store (completeCartWorkflow's hooks stay the
 * store's, Medusa allows one handler per hook). Any other cart passes through untouched.
 *
 * A refusal is answered as Medusa's route answers a refusal of completeCartWorkflow: a payment not (yet)
 * authorized → 200 `{ type: "cart", cart, error }`; anything else → Medusa's error handler (400 for
 * NOT_ALLOWED), so the storefront sees the same answers as for a paid checkout.
 * A cart that pays (its payment collection is for more than 0 and holds no card verification) is told apart
 * with one light query and goes straight on: a paid checkout's completion takes no extra lock nor totals.
 */
async function authorizeCardVerificationFirst(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) {
  const cartId = req.params.id
  try {
    if (!(await mayNeedIt(req, cartId))) {
      return next()
    }
    const { errors } = await req.scope
      .resolve(Modules.WORKFLOW_ENGINE)
      .run(authorizeCardVerificationWorkflowId, { input: { cart_id: cartId }, throwOnError: false })
    const error = errors?.[0]?.error as MedusaError | undefined
    if (!error) {
      return next()
    }
    if (!ANSWERED_WITH_CART.has(error.type)) {
      return next(error)
    }
    const cartQuery = await prepareRetrieveQuery({}, { defaults: defaultStoreCartFields }, req)
    const cart = await refetchCart(cartId, req.scope, cartQuery.remoteQueryConfig.fields)
    res.status(200).json({ type: "cart", cart, error: { message: error.message, name: error.name, type: error.type } })
  } catch (error) {
    next(error)
  }
}

/** The cart's completion state and payment collection, without totals (mayNeedCardVerification). */
async function mayNeedIt(req: MedusaRequest, cartId: string): Promise<boolean> {
  const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "cart",
    fields: [
      "id",
      "completed_at",
      "payment_collection.amount",
      "payment_collection.payment_sessions.id",
      "payment_collection.payment_sessions.provider_id",
      "payment_collection.payment_sessions.status",
      "payment_collection.payment_sessions.data",
    ],
    filters: { id: cartId },
  })
  // An unknown cart is Medusa's route's to answer (404).
  return data.length > 0 && mayNeedCardVerification(data[0] as Parameters<typeof mayNeedCardVerification>[0])
}

export const storeCartCardVerificationMiddlewares: MiddlewareRoute[] = [
  { matcher: "/store/carts/:id/complete", method: ["POST"], middlewares: [authorizeCardVerificationFirst] },
]

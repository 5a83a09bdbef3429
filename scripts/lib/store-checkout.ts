import { ensureOk, withHeaders, type Headers, type HttpResponse, type StoreHttp } from "./http"

/**
 * Storefront steps of a checkout, through the Store HTTP API. Every `/store` route needs the
 * publishable API key header; build the client with `storeClient(http, publishableKey)`, and add a
 * customer's auth headers with `withHeaders(store, customer.headers)` for a logged-in checkout.
 */

export const NORWEGIAN_ADDRESS = {
  first_name: "Kari",
  last_name: "Nordmann",
  address_1: "Storgata 1",
  city: "Oslo",
  postal_code: "0155",
  country_code: "no",
  phone: "+4799999999",
}

export type CartItem = { variant_id: string; quantity: number }

export function storeClient(http: StoreHttp, publishableKey: string, extraHeaders: Headers = {}): StoreHttp {
  return withHeaders(http, { "x-publishable-api-key": publishableKey, ...extraHeaders })
}

export async function createCart(
  store: StoreHttp,
  input: { regionId: string; email?: string; items: CartItem[]; salesChannelId?: string; shippingAddress?: object }
) {
  const res = await store.post("/store/carts", {
    region_id: input.regionId,
    email: input.email,
    items: input.items,
    sales_channel_id: input.salesChannelId,
    shipping_address: input.shippingAddress,
  })
  return ensureOk(res, "create cart").cart
}

/**
 * The route's default fields already include items, shipping methods, totals and
 * `payment_collection.payment_sessions`. `fields` follows Medusa's syntax: `+field` / `*relation`
 * add to the defaults, a bare field name replaces them.
 */
export async function retrieveCart(store: StoreHttp, cartId: string, fields?: string) {
  const query = fields ? `?fields=${encodeURIComponent(fields)}` : ""
  return ensureOk(await store.get(`/store/carts/${cartId}${query}`), "retrieve cart").cart
}

/** Sets the shipping address (and billing address, same one unless given). */
export async function addShippingAddress(
  store: StoreHttp,
  cartId: string,
  address: object = NORWEGIAN_ADDRESS,
  billingAddress: object = address
) {
  const res = await store.post(`/store/carts/${cartId}`, { shipping_address: address, billing_address: billingAddress })
  return ensureOk(res, "add shipping address").cart
}

export async function listShippingOptions(store: StoreHttp, cartId: string): Promise<any[]> {
  return ensureOk(await store.get(`/store/shipping-options?cart_id=${cartId}`), "list shipping options").shipping_options
}

/** Adds the given shipping option, or the first one offered for the cart. */
export async function addShippingMethod(store: StoreHttp, cartId: string, optionId?: string) {
  if (!optionId) {
    const options = await listShippingOptions(store, cartId)
    if (!options.length) throw new Error(`addShippingMethod: no shipping options offered for cart ${cartId}`)
    optionId = options[0].id
  }
  const res = await store.post(`/store/carts/${cartId}/shipping-methods`, { option_id: optionId })
  return ensureOk(res, "add shipping method").cart
}

/** Returns the cart's payment collection, creating it if needed (the route is idempotent per cart). */
export async function createPaymentCollection(store: StoreHttp, cartId: string) {
  const res = await store.post("/store/payment-collections", { cart_id: cartId })
  return ensureOk(res, "create payment collection").payment_collection
}

/**
 * Raw response, because initiating can fail on purpose in tests (provider errors). The body on
 * success is `{ payment_collection }` with `payment_sessions`.
 */
export function initiatePaymentSessionRaw(
  store: StoreHttp,
  collectionId: string,
  providerId: string,
  data?: Record<string, unknown>
): Promise<HttpResponse<any>> {
  return store.post(`/store/payment-collections/${collectionId}/payment-sessions`, { provider_id: providerId, data })
}

/** Initiates a session and returns it (the collection's session for that provider). */
export async function initiatePaymentSession(
  store: StoreHttp,
  collectionId: string,
  providerId: string,
  data?: Record<string, unknown>
) {
  const collection = ensureOk(
    await initiatePaymentSessionRaw(store, collectionId, providerId, data),
    `initiate payment session (${providerId})`
  ).payment_collection
  const session = collection.payment_sessions.find((s: any) => s.provider_id === providerId)
  return { paymentCollection: collection, paymentSession: session }
}

/**
 * Raw response: 200 `{type: "order", order}` on success, 200 `{type: "cart", cart, error}` when
 * payment authorization failed, or 4xx/5xx for other errors.
 */
export function completeCart(store: StoreHttp, cartId: string): Promise<HttpResponse<any>> {
  return store.post(`/store/carts/${cartId}/complete`)
}

/**
 * What a storefront's return page does after Dintero sends the payer back: complete the cart. A 409 means
 * Dintero's callback is completing the same cart right now, so ask again; Medusa then answers with the
 * order the callback placed.
 */
export async function completeCartOnReturn(store: StoreHttp, cartId: string, attempts = 10): Promise<HttpResponse<any>> {
  return askAgainWhileConflict(() => completeCart(store, cartId), attempts)
}

/** Sends the request again while it answers 409 (someone else is on it right now), `attempts` times at most. */
export async function askAgainWhileConflict<T>(send: () => Promise<HttpResponse<T>>, attempts = 10, pauseMs = 300): Promise<HttpResponse<T>> {
  let response = await send()
  for (let attempt = 1; response.status === 409 && attempt < attempts; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs))
    response = await send()
  }
  return response
}

/**
 * A cart ready for payment: items, Norwegian address, shipping method and a payment collection.
 * `items` defaults to one unit of `variantId`.
 */
export async function prepareCart(
  store: StoreHttp,
  input: { regionId: string; variantId: string; email?: string; quantity?: number; shippingOptionId?: string }
) {
  const cart = await createCart(store, {
    regionId: input.regionId,
    email: input.email ?? "buyer@example.com",
    items: [{ variant_id: input.variantId, quantity: input.quantity ?? 1 }],
  })
  await addShippingAddress(store, cart.id)
  await addShippingMethod(store, cart.id, input.shippingOptionId)
  const paymentCollection = await createPaymentCollection(store, cart.id)
  return { cart: await retrieveCart(store, cart.id), paymentCollection }
}

/**
 * Registers a customer the way a storefront does and logs them in. `store` must carry the
 * publishable key (`/store/customers` needs it). Returns the login token's auth headers.
 */
export async function registerCustomer(
  store: StoreHttp,
  email: string,
  password: string,
  profile: { first_name?: string; last_name?: string; phone?: string } = {
    first_name: NORWEGIAN_ADDRESS.first_name,
    last_name: NORWEGIAN_ADDRESS.last_name,
    phone: NORWEGIAN_ADDRESS.phone,
  }
) {
  // The registration token only identifies the auth identity; it may create the customer actor.
  const { token: registrationToken } = ensureOk(
    await store.post("/auth/customer/emailpass/register", { email, password }),
    "register customer identity"
  )
  const customer = ensureOk(
    await store.post("/store/customers", { email, ...profile }, { headers: bearer(registrationToken) }),
    "create customer"
  ).customer
  // Log in again: only a token issued after the customer exists carries its actor_id.
  const { token } = ensureOk(await store.post("/auth/customer/emailpass", { email, password }), "log in customer")
  return { customerId: customer.id as string, token: token as string, headers: bearer(token) }
}

export function bearer(token: string): Headers {
  return { authorization: `Bearer ${token}` }
}

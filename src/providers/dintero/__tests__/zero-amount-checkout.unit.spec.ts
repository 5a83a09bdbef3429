import { paymentTokenSessionRequestSchema } from "../../../lib/dintero/schemas"
import { parseDinteroOptions } from "../options"
import { isCardVerification, zeroAmountRefusal, zeroAmountTokenSessionRequest } from "../zero-amount-checkout"

const base = {
  accountId: "T12345678",
  clientId: "id",
  clientSecret: "secret",
  backendUrl: "https://shop.example/api",
  returnUrl: "https://shop.example/checkout/return",
}
const key = Buffer.alloc(32, 7).toString("base64")
const saving = parseDinteroOptions({ ...base, saveCards: "subscriptions", tokenEncryptionKey: key })
const subscriber = { startsSubscription: true, customerId: "cus_1", accountHolderId: "acchld_1" }

describe("a checkout with nothing to pay (a free trial): the card is saved with a zero-amount token session", () => {
  it("asks for a token session named after Medusa's payment session and the cart, with no amount or lines", () => {
    const request = zeroAmountTokenSessionRequest(saving, {
      medusaSessionId: "payses_1",
      cartId: "cart_1",
      currency: "nok",
      returnUrl: "https://shop.example/checkout/return",
      customer: { id: "cus_1", email: "kari@example.com" },
    })
    expect(paymentTokenSessionRequestSchema.parse(request)).toEqual(request)
    expect(request).toEqual({
      session: {
        order: { currency: "NOK", merchant_reference: "payses_1", merchant_reference_2: "cart_1" },
        url: { return_url: "https://shop.example/checkout/return", callback_url: expect.stringMatching(/^https:\/\/shop\.example\/api\/hooks\/dintero\/callback\?/) },
        profile_id: "default",
        customer: { customer_id: "cus_1", email: "kari@example.com" },
      },
      token_provider: { payment_product_type: "dintero_psp.creditcard", token_types: ["payment_token"] },
    })
    const payex = parseDinteroOptions({ ...base, saveCards: "subscriptions", tokenEncryptionKey: key, paymentProductType: "payex.creditcard" })
    expect(zeroAmountTokenSessionRequest(payex, { medusaSessionId: "payses_1", currency: "NOK", returnUrl: base.returnUrl, customer: { id: "cus_1" } }).token_provider)
      .toEqual({ payment_product_type: "payex.creditcard", token_types: ["payment_token", "recurrence_token"] })
  })

  it("is opened only for a logged-in customer's subscription, in a store that saves cards, with a new card of a tokenizable product", () => {
    expect(zeroAmountRefusal(saving, subscriber)).toBeUndefined()
    expect(zeroAmountRefusal(saving, { ...subscriber, startsSubscription: false })).toMatch(/starts no subscription/)
    expect(zeroAmountRefusal(saving, { startsSubscription: true })).toMatch(/must log in/)
    expect(zeroAmountRefusal(saving, { ...subscriber, accountHolderId: undefined })).toMatch(/must log in/)
    expect(zeroAmountRefusal(saving, { ...subscriber, savedCardId: "dcard_1" })).toMatch(/saved card .* not offered/)
    expect(zeroAmountRefusal(parseDinteroOptions(base), subscriber)).toMatch(/does not save cards/)
    // The options refuse a product without card tokens already; the refusal holds even if they did not.
    const vipps = { ...saving, paymentProductType: "vipps" } as unknown as typeof saving
    expect(zeroAmountRefusal(vipps, subscriber)).toMatch(/vipps cannot save a card/)
  })

  it("takes only Dintero's card verification (amount 0, generate_payment_token) as the saved card", () => {
    expect(isCardVerification({ amount: 0, payment_operation: "generate_payment_token" })).toBe(true)
    expect(isCardVerification({ amount: 100, payment_operation: "generate_payment_token" })).toBe(false)
    expect(isCardVerification({ amount: 0, payment_operation: "purchase" })).toBe(false)
    expect(isCardVerification({ amount: 0, payment_operation: undefined })).toBe(false)
  })
})

import { paymentTokenSessionRequestSchema } from "../../../lib/dintero/schemas"
import { cardSetupOutcome, isCardSetupReference, paymentTokenSessionRequest, tokenTypesFor } from "../card-setup"
import { parseDinteroOptions } from "../options"

const options = parseDinteroOptions({
  accountId: "T12345678",
  clientId: "id",
  clientSecret: "secret",
  backendUrl: "https://shop.example/api",
  returnUrl: "https://shop.example/checkout/return",
})

describe("saving a card without a purchase (Dintero's payment token session)", () => {
  it("asks for a zero-amount token session: no amount, no lines, the setup as merchant_reference, the signed callback URL", () => {
    const request = paymentTokenSessionRequest(options, {
      cardSetupId: "dcset_1",
      currency: "nok",
      returnUrl: "https://shop.example/account/cards",
      productType: "dintero_psp.creditcard",
      customer: { id: "cus_1", email: "ola@example.com" },
    })
    expect(paymentTokenSessionRequestSchema.parse(request)).toEqual(request)
    expect(request).toEqual({
      session: {
        order: { currency: "NOK", merchant_reference: "dcset_1" },
        url: { return_url: "https://shop.example/account/cards", callback_url: expect.stringMatching(/^https:\/\/shop\.example\/api\/hooks\/dintero\/callback\?.*report_error=true/) },
        profile_id: "default",
        customer: { customer_id: "cus_1", email: "ola@example.com" },
      },
      token_provider: { payment_product_type: "dintero_psp.creditcard", token_types: ["payment_token"] },
    })
  })

  it("asks payex for a payment and a recurrence token, Bambora and Dintero PSP for a payment token", () => {
    expect(tokenTypesFor("payex.creditcard")).toEqual(["payment_token", "recurrence_token"])
    expect(tokenTypesFor("bambora.creditcard")).toEqual(["payment_token"])
    expect(tokenTypesFor("dintero_psp.creditcard")).toEqual(["payment_token"])
  })

  it("accepts only the setup's own transaction, and only when the card was approved", () => {
    const setup = { id: "dcset_1", dintero_session_id: "T12345678.s1" }
    expect(cardSetupOutcome({ status: "AUTHORIZED", merchant_reference: "dcset_1", session_id: "T12345678.s1" }, setup)).toBe("saved")
    expect(cardSetupOutcome({ status: "FAILED", merchant_reference: "dcset_1", session_id: "T12345678.s1" }, setup)).toBe("declined")
    expect(cardSetupOutcome({ status: "AUTHORIZED", merchant_reference: "dcset_2", session_id: "T12345678.s1" }, setup)).toBe("foreign")
    expect(cardSetupOutcome({ status: "AUTHORIZED", merchant_reference: "dcset_1", session_id: "T12345678.s2" }, setup)).toBe("foreign")
    expect(isCardSetupReference("dcset_01ABC")).toBe(true)
    expect(isCardSetupReference("payses_01ABC")).toBe(false)
    expect(isCardSetupReference(undefined)).toBe(false)
  })
})

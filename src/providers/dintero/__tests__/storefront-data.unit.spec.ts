import { assertStorefrontData } from "../storefront-data"

describe("what a storefront may put in a Dintero payment session's data", () => {
  it("accepts the documented storefront keys and Medusa's own session id", () => {
    expect(() => assertStorefrontData(undefined)).not.toThrow()
    expect(() =>
      assertStorefrontData({ save_card: true, payment_method_id: "dcard_1", return_url: "https://shop.example/r", express: true, session_id: "payses_1" })
    ).not.toThrow()
  })

  it.each(["dintero", "transaction_id", "save_card_to", "decline", "saved_card_id", "amount", "anything_else"])(
    "refuses data.%s, naming it",
    (key) => {
      expect(() => assertStorefrontData({ [key]: "forged" })).toThrow(new RegExp(`data\\.${key} cannot be set by a storefront`))
    }
  )

  it("names every forged key at once, before any mistyped storefront key", () => {
    expect(() => assertStorefrontData({ save_card: {}, transaction_id: "T1.x", dintero: {} })).toThrow(
      /^data\.transaction_id, data\.dintero cannot be set by a storefront/
    )
  })

  it("refuses a merchant-initiated charge requested from a storefront", () => {
    expect(() => assertStorefrontData({ merchant_initiated: { card_id: "dcard_1" } })).toThrow(/cannot be requested from a storefront/)
  })

  it("refuses a storefront key of the wrong type", () => {
    expect(() => assertStorefrontData({ save_card: "yes" })).toThrow(/data\.save_card has the wrong type/)
    expect(() => assertStorefrontData({ payment_method_id: { id: "dcard_1" } })).toThrow(/payment_method_id/)
  })
})

describe("the express flag a storefront may send", () => {
  it("is a boolean", () => {
    expect(() => assertStorefrontData({ express: false })).not.toThrow()
    expect(() => assertStorefrontData({ express: "yes" })).toThrow(/data\.express has the wrong type/)
  })

  it("does not let a storefront name the Dintero session an express checkout is linked to", () => {
    expect(() => assertStorefrontData({ express: true, dintero_express: { session_id: "T12345678.theirs" } })).toThrow(
      /data\.dintero_express cannot be set by a storefront/
    )
  })
})

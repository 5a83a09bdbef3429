import type { DinteroEmulator } from "../index"
import { ACCOUNT, Merchant, sessionBody, startEmulator } from "./helpers"

describe("emulator: sessions", () => {
  let emu: DinteroEmulator
  let merchant: Merchant
  let clock: Date

  beforeAll(async () => {
    emu = await startEmulator({ now: () => clock })
    merchant = new Merchant(emu)
  })
  afterAll(() => emu.close())
  beforeEach(() => {
    clock = new Date("2030-01-01T00:00:00Z")
    emu.reset()
    merchant = new Merchant(emu)
  })

  // checkout_session_profile_post answers 200 (SessionCreated) in Dintero's payments spec, not 201.
  it("creates a session with an account-prefixed id and a checkout url, answering 200 as the spec says", async () => {
    const res = await merchant.createSession()
    expect(res.status).toBe(200)
    expect(res.body.id).toMatch(new RegExp(`^${ACCOUNT}\\.[0-9A-Za-z]{22}$`))
    expect(res.body.url).toBe(`${emu.url}/v1/view/${res.body.id}`)
    expect(res.body.session).toBeUndefined()
  })

  it("embeds the session with include_session=true", async () => {
    const res = await merchant.createSession({}, {}, "?include_session=true")
    expect(res.body.session).toMatchObject({ id: res.body.id, metadata: { "session:profile_id": "default" } })
    expect(res.body.session).not.toHaveProperty("profile_id")
  })

  // The Session read schema has no top-level profile_id: the profile shows as metadata["session:profile_id"].
  it("returns the stored session with its profile (in metadata only), events and a 24 h default expiry", async () => {
    const created = await merchant.createSession({ metadata: { cart_id: "cart_1" }, customer: { email: "ola@example.com" } })
    const res = await merchant.call("GET", `/sessions/${created.body.id}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      id: created.body.id,
      created_at: "2030-01-01T00:00:00.000Z",
      expires_at: "2030-01-02T00:00:00.000Z",
      metadata: { cart_id: "cart_1", "session:profile_id": "default" },
      order: { amount: 33890, currency: "NOK", merchant_reference: "order-1" },
      customer: { email: "ola@example.com" },
      url: { return_url: "https://shop.example/return" },
    })
    expect(res.body).not.toHaveProperty("profile_id")
    expect(res.body.events.map((e: any) => e.name)).toEqual(["INITIATED"])
    expect(res.body.transaction_id).toBeUndefined()
  })

  it("rejects a session without url.return_url", async () => {
    const res = await merchant.call("POST", "/sessions-profile", { ...sessionBody(), url: { callback_url: "https://x.example/cb" } })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe("INVALID_REQUEST")
    expect(res.body.error.errors).toContainEqual({ path: "url.return_url", message: "is required" })
  })

  it("rejects a non-integer amount", async () => {
    const res = await merchant.createSession({ order: { amount: 338.9 } })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toMatch(/^order\.amount: must be an integer/)
  })

  it("rejects non-integer item amounts, a lower-case currency and a missing merchant_reference", async () => {
    const res = await merchant.createSession({
      order: {
        currency: "nok",
        merchant_reference: undefined,
        items: [{ line_id: "1", amount: 299.9, quantity: 1 }],
      },
    })
    expect(res.status).toBe(400)
    const paths = res.body.error.errors.map((e: any) => e.path)
    expect(paths).toEqual(expect.arrayContaining(["order.currency", "order.merchant_reference", "order.items[0].amount"]))
  })

  // OrderItem.type gift_card is "usually a negative number", surcharge covers rounding; OrderDiscountItem and
  // DiscountItem say what a discounted line's amount already has taken off (payments spec).
  it("accepts gift-card and rounding lines below zero and discount lines on items, and adds them up", async () => {
    const strict = { "Dintero-Feature-Toggles": "strict-session-amounts" }
    const res = await merchant.createSession(
      {
        order: {
          amount: 23889,
          items: [
            {
              id: "chair-1", line_id: "1", quantity: 1, amount: 29990, vat_amount: 6000, vat: 25, type: "physical",
              discount_lines: [{ amount: 3000, discount_type: "external", discount_id: "promo_1", description: "SUMMER10" }],
            },
            { id: "gc", line_id: "credit_1", quantity: 1, amount: -10000, vat_amount: 0, vat: 0, type: "gift_card" },
            { id: "rounding", line_id: "rounding", quantity: 1, amount: -1, vat_amount: 0, vat: 0, type: "surcharge" },
          ],
          discount_lines: [{ amount: 100, discount_type: "total" }],
        },
      },
      strict
    )
    expect(res.status).toBe(200)
  })

  it("refuses a negative amount on a line that is not a gift card or a surcharge, an unknown type and a malformed discount", async () => {
    const res = await merchant.createSession({
      order: {
        items: [
          { line_id: "1", amount: -100, quantity: 1, type: "physical" },
          { line_id: "2", amount: 100, quantity: 1, type: "coupon" },
          { line_id: "3", amount: 100, quantity: 1, discount_lines: [{ amount: -5, discount_type: "promo", line_id: "x" }] },
        ],
        gift_cards: [{ type: "medusa", card_id: "gc_1", amount: -1 }],
      },
    })
    expect(res.status).toBe(400)
    const paths = res.body.error.errors.map((e: any) => e.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        "order.items[0].amount",
        "order.items[1].type",
        "order.items[2].discount_lines[0].amount",
        "order.items[2].discount_lines[0].discount_type",
        "order.items[2].discount_lines[0].line_id",
        "order.gift_cards[0].type",
        "order.gift_cards[0].amount",
      ])
    )
  })

  it("rejects duplicate line_id values within an order", async () => {
    const res = await merchant.createSession({
      order: { items: [{ line_id: "1", amount: 100 }, { line_id: "1", amount: 200 }], shipping_option: undefined, amount: 300 },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.errors[0]).toMatchObject({ path: "order.items[1].line_id" })
  })

  it("rejects a shipping option without its required fields", async () => {
    const res = await merchant.createSession({ order: { shipping_option: { id: "x", amount: 100 } } })
    expect(res.status).toBe(400)
    const paths = res.body.error.errors.map((e: any) => e.path)
    expect(paths).toEqual(expect.arrayContaining(["order.shipping_option.line_id", "order.shipping_option.title", "order.shipping_option.operator"]))
  })

  it("rejects a phone number that is not E.123 and an invalid email", async () => {
    const phone = await merchant.createSession({ customer: { phone_number: "99999999" } })
    expect(phone.status).toBe(400)
    expect(phone.body.error.errors[0].path).toBe("customer.phone_number")
    const email = await merchant.createSession({ customer: { email: "not-an-email" } })
    expect(email.body.error.errors[0].path).toBe("customer.email")
    expect((await merchant.createSession({ customer: { phone_number: "+4799999999" } })).status).toBe(200)
  })

  it("answers 404 for an unknown payment profile", async () => {
    const res = await merchant.createSession({ profile_id: "no-such-profile" })
    expect(res.status).toBe(404)
    expect(res.body.error.message).toContain("no-such-profile")
  })

  it("enforces order.amount = Σ items + shipping only with strict-session-amounts", async () => {
    const mismatched = { order: { amount: 30000 } }
    expect((await merchant.createSession(mismatched)).status).toBe(200)
    const strict = { "Dintero-Feature-Toggles": "other-toggle, strict-session-amounts" }
    const res = await merchant.createSession(mismatched, strict)
    expect(res.status).toBe(400)
    expect(res.body.error.message).toContain("33890")
    expect((await merchant.createSession({}, strict)).status).toBe(200)
    expect((await merchant.createSession({ order: { amount: 30000, partial_payment: true } }, strict)).status).toBe(200)
  })

  it("rejects generate_recurrence_token for dintero_psp (only payex issues recurrence tokens)", async () => {
    const res = await merchant.createSession({
      configuration: { dintero_psp: { creditcard: { enabled: true, generate_recurrence_token: true } } },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.errors[0].path).toBe("configuration.dintero_psp.creditcard.generate_recurrence_token")
  })

  it("updates the order with update_without_lock=true when the amounts add up", async () => {
    const { body } = await merchant.createSession()
    const order = {
      amount: 20000,
      currency: "NOK",
      items: [{ line_id: "1", description: "Sofa", quantity: 1, amount: 20000, vat_amount: 4000, vat: 25 }],
    }
    expect((await merchant.call("PUT", `/sessions/${body.id}`, { order })).status).toBe(400)
    const wrong = await merchant.call("PUT", `/sessions/${body.id}?update_without_lock=true`, { order: { ...order, amount: 1 } })
    expect(wrong.status).toBe(400)
    const res = await merchant.call("PUT", `/sessions/${body.id}?update_without_lock=true`, { order })
    expect(res.status).toBe(200)
    expect(res.body.order).toMatchObject({ amount: 20000, merchant_reference: "order-1" })
    expect(res.body.events.map((e: any) => e.name)).toContain("UPDATE_SESSION")
  })

  // UpdateSessionOptions is { order: SessionOrderUpdate, express?, remove_lock }: SessionOrderUpdate has no
  // merchant_reference, which is fixed when the session is created.
  it("refuses an update that names a merchant_reference and accepts the spec's { order, remove_lock } body", async () => {
    const { body } = await merchant.createSession()
    const order = {
      amount: 20000,
      currency: "NOK",
      items: [{ line_id: "1", description: "Sofa", quantity: 1, amount: 20000, vat_amount: 4000, vat: 25 }],
    }
    const url = `/sessions/${body.id}?update_without_lock=true`
    for (const merchant_reference of ["order-2", "order-1"]) {
      const refused = await merchant.call("PUT", url, { order: { ...order, merchant_reference } })
      expect(refused.status).toBe(400)
      expect(refused.body.error.errors).toContainEqual(expect.objectContaining({ path: "order.merchant_reference" }))
    }
    expect((await merchant.call("GET", `/sessions/${body.id}`)).body.order.amount).toBe(33890)
    const res = await merchant.call("PUT", url, { order, remove_lock: true })
    expect(res.status).toBe(200)
    expect(res.body.order).toMatchObject({ amount: 20000, merchant_reference: "order-1" })
  })

  it("refuses to update a paid session", async () => {
    const { body } = await merchant.createSession()
    await emu.pay(body.id)
    const res = await merchant.call("PUT", `/sessions/${body.id}?update_without_lock=true`, { order: { amount: 1, currency: "NOK" } })
    expect(res.status).toBe(400)
  })

  it("cancels an unpaid session, which then cannot be paid", async () => {
    const { body } = await merchant.createSession()
    const res = await merchant.call("POST", `/sessions/${body.id}/cancel`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ cancelled_at: expect.any(String), cancelled_by: "emulator-client-id" })
    await expect(emu.pay(body.id)).rejects.toThrow(/cancelled/)
    expect((await merchant.call("POST", `/sessions/${body.id}/cancel`)).status).toBe(400)
  })

  it("voids the authorized transaction when a paid session is cancelled", async () => {
    const { body } = await merchant.createSession()
    const { transactionId } = await emu.pay(body.id)
    expect((await merchant.call("POST", `/sessions/${body.id}/cancel`)).status).toBe(200)
    const tx = await merchant.call("GET", `/transactions/${transactionId}`)
    expect(tx.body.status).toBe("AUTHORIZATION_VOIDED")
  })

  it("refuses to cancel a session whose transaction is captured", async () => {
    const { body } = await merchant.createSession()
    const { transactionId } = await emu.pay(body.id)
    await merchant.call("POST", `/transactions/${transactionId}/capture`, { amount: 33890 })
    const res = await merchant.call("POST", `/sessions/${body.id}/cancel`)
    expect(res.status).toBe(400)
    expect(res.body.error.message).toContain("CAPTURED")
  })

  it("does not let an expired session be paid", async () => {
    const { body } = await merchant.createSession({ expires_at: "2030-01-01T01:00:00Z" })
    clock = new Date("2030-01-01T02:00:00Z")
    await expect(emu.pay(body.id)).rejects.toThrow(/expired/)
  })

  it("answers 404 for an unknown session", async () => {
    const res = await merchant.call("GET", `/sessions/${ACCOUNT}.doesnotexist`)
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe("NOT_FOUND")
  })
})

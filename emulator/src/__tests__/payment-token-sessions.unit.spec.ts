import { request, startReceiver, useEmulator } from "./helpers"

/** A payment token session body like Dintero's docs example (/docs/checkout/tokenization-create-token). */
function tokenSessionBody(overrides: { session?: Record<string, any>; token_provider?: Record<string, any> } = {}) {
  return {
    session: {
      order: { currency: "NOK", merchant_reference: "card-setup-1" },
      url: { return_url: "https://shop.example/account/cards/return" },
      customer: { email: "ola@example.com", customer_id: "cus_1" },
      ...overrides.session,
    },
    token_provider: { payment_product_type: "dintero_psp.creditcard", token_types: ["payment_token"], ...overrides.token_provider },
  }
}

describe("emulator: zero-amount payment token sessions (POST /v1/sessions/payment-token)", () => {
  const ctx = useEmulator()

  const create = (body: unknown, query = "") => ctx.merchant.call("POST", `/sessions/payment-token${query}`, body)

  it("answers {id, url}; the payer saves a card on the page; the transaction holds the token, nothing is reserved", async () => {
    const created = await create(tokenSessionBody())
    expect(created.status).toBe(200)
    expect(Object.keys(created.body).sort()).toEqual(["id", "url"])
    expect(created.body.url).toBe(`${ctx.emu.baseUrl.replace(/\/v1$/, "")}/v1/view/${created.body.id}`)

    const page = await request(created.body.url)
    expect(page.status).toBe(200)
    expect(page.body).toContain("Save your card")
    expect(page.body).toContain("No amount is reserved or charged")
    expect(page.body).not.toContain("Other payment methods")

    const paid = await ctx.emu.pay(created.body.id, { card: "5555555555554444", expiry: "08/31" })
    expect(paid.transactionId).toBeDefined()
    const returned = new URL(paid.redirectUrl)
    expect(returned.origin + returned.pathname).toBe("https://shop.example/account/cards/return")
    expect(returned.searchParams.get("transaction_id")).toBe(paid.transactionId)
    expect(returned.searchParams.get("merchant_reference")).toBe("card-setup-1")

    const tx = await ctx.merchant.call("GET", `/transactions/${paid.transactionId}`)
    expect(tx.body).toMatchObject({
      amount: 0,
      status: "AUTHORIZED",
      payment_operation: "generate_payment_token",
      payment_product_type: "dintero_psp.creditcard",
      session_id: created.body.id,
      merchant_reference: "card-setup-1",
      card: { masked_pan: "555555******4444", expiry_date: "08/2031", payment_token_id: expect.any(String) },
    })
    expect(tx.body.card.payment_token).toBeUndefined()
    const withToken = await ctx.merchant.call("GET", `/transactions/${paid.transactionId}?includes=card.payment_token`)
    expect(withToken.body.card.payment_token).toEqual(ctx.emu.tokens()[0].token)
    expect(ctx.emu.tokens()[0]).toMatchObject({ type: "payment_token", customer_id: "cus_1", status: "ACTIVE" })

    // Nothing can be captured from a zero-amount token transaction.
    const capture = await ctx.merchant.call("POST", `/transactions/${paid.transactionId}/capture`, { amount: 100 })
    expect(capture.status).toBe(400)
    expect(JSON.stringify(capture.body)).toMatch(/only generated a payment token/)
    // Nor refunded: nothing was charged.
    const refund = await ctx.merchant.call("POST", `/transactions/${paid.transactionId}/refund`, { amount: 100 })
    expect(refund.status).toBe(400)
    expect(JSON.stringify(refund.body)).toMatch(/only generated a payment token/)
    expect(ctx.emu.charges()).toEqual([])
  })

  it("the token it created charges merchant-initiated payments", async () => {
    const created = await create(tokenSessionBody())
    const paid = await ctx.emu.pay(created.body.id, { card: "4111111111111111" })
    const token = (await ctx.merchant.call("GET", `/transactions/${paid.transactionId}?includes=card.payment_token`)).body.card.payment_token
    const charge = await ctx.merchant.call("POST", "/sessions/pay", {
      session: {
        customer: { tokens: { "dintero_psp.creditcard": { payment_token: token } } },
        order: { amount: 9900, currency: "NOK", merchant_reference: "sub-1:1" },
      },
      payment: { payment_product_type: "dintero_psp.creditcard", operation: "unscheduled_purchase" },
    })
    expect(charge.status).toBe(200)
    expect(charge.body).toMatchObject({ success: true, status: "AUTHORIZED", amount: 9900 })
  })

  it("payex issues the payment and recurrence tokens asked for; others issue payment tokens only", async () => {
    const payex = await create(tokenSessionBody({ token_provider: { payment_product_type: "payex.creditcard", token_types: ["payment_token", "recurrence_token"] } }))
    expect(payex.status).toBe(200)
    const paid = await ctx.emu.pay(payex.body.id, {})
    const tx = await ctx.merchant.call("GET", `/transactions/${paid.transactionId}?includes=card.payment_token&includes=card.recurrence_token`)
    expect(tx.body.card).toMatchObject({ payment_token: expect.any(String), recurrence_token: expect.any(String) })

    const bambora = await create(tokenSessionBody({ token_provider: { payment_product_type: "bambora.creditcard", token_types: ["recurrence_token"] } }))
    expect(bambora.status).toBe(400)
    expect(bambora.body.error.message).toMatch(/token_types\[0\].*recurrence_token.*not issued by bambora\.creditcard/)
  })

  it.each([
    ["vipps", /vipps cannot be tokenized: Vipps has no payment token provider/],
    ["swish.swish", /swish\.swish cannot be tokenized/],
    ["collector.invoice", /collector\.invoice cannot be tokenized/],
    ["dintero_psp.googlepay", /not offered by the emulator/],
    ["made.up", /not a payment product type with a token provider/],
  ])("refuses a token session for %s, which cannot be tokenized this way", async (type, message) => {
    const res = await create(tokenSessionBody({ token_provider: { payment_product_type: type } }))
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe("INVALID_REQUEST")
    expect(res.body.error.message).toMatch(message)
    expect(ctx.emu.sessions()).toEqual([])
  })

  it("validates the body like Dintero: session and token_provider required, no amount or lines, return_url required", async () => {
    const missing = await create({})
    expect(missing.status).toBe(400)
    expect(missing.body.error.errors.map((e: any) => e.path)).toEqual(["session", "token_provider"])

    const withAmount = await create(tokenSessionBody({ session: { order: { currency: "NOK", merchant_reference: "x", amount: 100, items: [] } } }))
    expect(withAmount.status).toBe(400)
    expect(withAmount.body.error.errors.map((e: any) => e.path)).toEqual(["session.order.amount", "session.order.items"])

    const noReturn = await create(tokenSessionBody({ session: { url: { callback_url: "https://shop.example/cb" } } }))
    expect(noReturn.body.error.errors).toEqual([{ path: "session.url.return_url", message: "is required" }])

    const badCurrency = await create(tokenSessionBody({ session: { order: { currency: "nok", merchant_reference: "x" } } }))
    expect(badCurrency.body.error.errors[0].path).toBe("session.order.currency")

    const noTypes = await create(tokenSessionBody({ token_provider: { token_types: [] } }))
    expect(noTypes.body.error.errors[0].path).toBe("token_provider.token_types")

    const authMethods = await create(tokenSessionBody({ token_provider: { payment_product_type: "payex.creditcard", token_supported_auth_methods: ["3DS"] } }))
    expect(authMethods.body.error.errors[0].path).toBe("token_provider.token_supported_auth_methods")

    const tokens = await create(tokenSessionBody({ session: { customer: { tokens: {} } } }))
    expect(tokens.body.error.errors[0].path).toBe("session.customer.tokens")

    const profile = await create(tokenSessionBody({ session: { profile_id: "nope" } }))
    expect(profile.status).toBe(404)
    expect(ctx.emu.sessions()).toEqual([])

    const unauthenticated = await request(`${ctx.emu.baseUrl}/sessions/payment-token`, { body: tokenSessionBody() })
    expect(unauthenticated.status).toBe(401)
  })

  it("a declined card saves nothing and the payer may try another; saved cards and other methods are not offered", async () => {
    const created = await create(tokenSessionBody())
    const declined = await ctx.emu.pay(created.body.id, { card: "4000000000000002" })
    expect(declined).toMatchObject({ error: "authorization", declineCode: "DECLINED" })
    expect(await ctx.emu.pay(created.body.id, { productType: "vipps" })).toMatchObject({ error: "invalid_input" })
    expect(await ctx.emu.pay(created.body.id, { useSavedToken: true })).toMatchObject({ error: "invalid_input" })
    expect(ctx.emu.tokens()).toEqual([])
    const saved = await ctx.emu.pay(created.body.id, { card: "4111111111111111" })
    expect(saved.transactionId).toBeDefined()
    await expect(ctx.emu.pay(created.body.id, { card: "4111111111111111" })).rejects.toThrow(/already paid/)
    expect(ctx.emu.tokens()).toHaveLength(1)
  })

  it("the callback_url is called with the transaction, as after a payment", async () => {
    const receiver = await startReceiver()
    try {
      const created = await create(tokenSessionBody({ session: { url: { return_url: "https://shop.example/r", callback_url: receiver.url } } }))
      const paid = await ctx.emu.pay(created.body.id, {})
      await ctx.emu.waitForCallbacks((a) => a.outcome === "delivered")
      const [received] = receiver.received
      expect(received.url.searchParams.get("transaction_id")).toBe(paid.transactionId)
      expect(received.url.searchParams.get("session_id")).toBe(created.body.id)
      expect(received.url.searchParams.get("merchant_reference")).toBe("card-setup-1")
    } finally {
      await receiver.close()
    }
  })

  it("the hosted form saves the card and, in the Web SDK, tells the parent window", async () => {
    const created = await create(tokenSessionBody())
    const form = await request(`${ctx.emu.baseUrl}/view/${created.body.id}/pay`, {
      body: "action=pay&card=4111111111111111&expiry=12%2F30&cvc=123&sdk=embedded",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    })
    expect(form.status).toBe(200)
    expect(form.body).toContain("Card saved")
    expect(form.body).toContain("SessionPaymentAuthorized")
    expect(ctx.emu.transactions()[0]).toMatchObject({ amount: 0, payment_operation: "generate_payment_token" })
  })
})

import { Merchant, startEmulator, useEmulator } from "./helpers"

const PSP_TOKENS = { configuration: { dintero_psp: { creditcard: { enabled: true, generate_payment_token: true } } } }
const PAYEX_TOKENS = {
  configuration: { payex: { creditcard: { enabled: true, generate_payment_token: true, generate_recurrence_token: true } } },
}

function mitBody(token: Record<string, string>, overrides: Record<string, any> = {}, productType = "dintero_psp.creditcard") {
  return {
    session: {
      customer: { email: "ola@example.com", tokens: { [productType]: token } },
      order: { amount: 9900, currency: "NOK", merchant_reference: overrides.reference ?? "sub-1-renewal-1", vat_amount: 1980 },
      ...(overrides.session ?? {}),
    },
    payment: { payment_product_type: productType, operation: overrides.operation ?? "unscheduled_purchase" },
  }
}

describe("emulator: card tokens", () => {
  const ctx = useEmulator()

  /** Pays a tokenizing session with `card` and returns the payment token value. */
  async function paymentToken(card = "4111111111111111", overrides: Record<string, any> = PSP_TOKENS): Promise<string> {
    const id = await ctx.merchant.paidTransaction(overrides, card)
    const tx = await ctx.merchant.call("GET", `/transactions/${id}?includes=card.payment_token`)
    return tx.body.card.payment_token
  }

  it("returns token values only with includes, and only when the session asked for a token", async () => {
    const id = await ctx.merchant.paidTransaction(PSP_TOKENS)
    const plain = await ctx.merchant.call("GET", `/transactions/${id}`)
    expect(plain.body.card.payment_token_id).toEqual(expect.any(String))
    expect(plain.body.card.payment_token).toBeUndefined()
    const included = await ctx.merchant.call("GET", `/transactions/${id}?includes=card.payment_token`)
    expect(included.body.card.payment_token).toEqual(expect.any(String))
    expect(ctx.emu.tokens()[0]).toMatchObject({ id: plain.body.card.payment_token_id, token: included.body.card.payment_token, status: "ACTIVE" })

    const untokenized = await ctx.merchant.paidTransaction()
    const res = await ctx.merchant.call("GET", `/transactions/${untokenized}?includes=card.payment_token`)
    expect(res.body.card.payment_token_id).toBeUndefined()
    expect(res.body.card.payment_token).toBeUndefined()
  })

  it("issues payment and recurrence tokens for payex, fetched with repeated includes", async () => {
    const id = await ctx.merchant.paidTransaction(PAYEX_TOKENS)
    const res = await ctx.merchant.call("GET", `/transactions/${id}?includes=card.payment_token&includes=card.recurrence_token`)
    expect(res.body.card).toMatchObject({
      payment_token: expect.any(String),
      recurrence_token: expect.any(String),
      payment_token_id: expect.any(String),
      recurrence_token_id: expect.any(String),
    })
    expect(ctx.emu.tokens().map((t) => t.type).sort()).toEqual(["payment_token", "recurrence_token"])
  })

  it("offers the saved card in a later session and pays with it", async () => {
    const token = await paymentToken()
    const session = await ctx.merchant.createSession({ customer: { tokens: { "dintero_psp.creditcard": { payment_token: token } } } })
    expect(session.status).toBe(200)
    const read = await ctx.merchant.call("GET", `/sessions/${session.body.id}`)
    expect(read.body.customer.tokens["dintero_psp.creditcard"]).toEqual({ payment_token_id: ctx.emu.tokens()[0].id })
    expect(JSON.stringify(read.body)).not.toContain(token)
    const page = await fetch(session.body.url).then((r) => r.text())
    expect(page).toContain("Pay with saved card Visa •••• 1111")
    const paid = await ctx.emu.pay(session.body.id, { useSavedToken: true, cvc: "321" })
    expect(paid.status).toBe("AUTHORIZED")
    expect(ctx.emu.transactions().find((t) => t.id === paid.transactionId)!.card).toMatchObject({ masked_pan: "411111******1111" })
  })

  it("rejects unknown and revoked tokens at session create with INVALID_TOKEN", async () => {
    const unknown = await ctx.merchant.createSession({ customer: { tokens: { "dintero_psp.creditcard": { payment_token: "nope" } } } })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.code).toBe("INVALID_TOKEN")
    const token = await paymentToken()
    ctx.emu.revokeToken(token)
    const revoked = await ctx.merchant.createSession({ customer: { tokens: { "dintero_psp.creditcard": { payment_token: token } } } })
    expect(revoked.body.error).toMatchObject({ code: "INVALID_TOKEN", message: expect.stringContaining("revoked") })
  })

  it("rejects a token of another account", async () => {
    const other = await startEmulator({
      accounts: [
        { accountId: "T12345678", clientId: "a", clientSecret: "a" },
        { accountId: "T99999999", clientId: "b", clientSecret: "b" },
      ],
    })
    try {
      const first = new Merchant(other, "T12345678", `Basic ${Buffer.from("a:a").toString("base64")}`)
      const second = new Merchant(other, "T99999999", `Basic ${Buffer.from("b:b").toString("base64")}`)
      const id = await first.paidTransaction(PSP_TOKENS)
      const token = (await first.call("GET", `/transactions/${id}?includes=card.payment_token`)).body.card.payment_token
      const res = await second.call("POST", "/sessions/pay", mitBody({ payment_token: token }))
      expect(res.body.error.code).toBe("INVALID_TOKEN")
    } finally {
      await other.close()
    }
  })

  describe("merchant-initiated payments", () => {
    it("approves a charge with the payment token and records it", async () => {
      const token = await paymentToken()
      const res = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }))
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({
        status: "AUTHORIZED",
        success: true,
        amount: 9900,
        merchant_reference: "sub-1-renewal-1",
        payment_operation: "unscheduled_purchase",
        payment_product_type: "dintero_psp.creditcard",
        session_id: expect.any(String),
        actions: [{ source: "DINTERO_PSP", code: "AUTHORIZED", type: "success" }],
      })
      expect(ctx.emu.charges()).toEqual([
        expect.objectContaining({ merchantReference: "sub-1-renewal-1", amount: 9900, status: "AUTHORIZED", transactionId: res.body.id }),
      ])
      const listed = await ctx.merchant.call("GET", "/transactions?payment_operation=unscheduled_purchase")
      expect(listed.body.map((t: any) => t.id)).toEqual([res.body.id])
    })

    it("captures a charge at once with auto_capture", async () => {
      const token = await paymentToken()
      const res = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { session: { configuration: { auto_capture: true } } }))
      expect(res.body.status).toBe("CAPTURED")
    })

    it.each([
      ["4000000000003220", "INSUFFICIENT_FUNDS", ["RETRY_AFTER_DELAY"]],
      ["4000000000000119", "RESTRICTED_CARD", ["DO_NOT_RETRY"]],
      ["4000000000000127", "DECLINED", ["RETRY_IMMEDIATELY"]],
    ])("declines charges of a token made from card %s with %s", async (card, type, retryCodes) => {
      const token = await paymentToken(card)
      const res = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }))
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ status: "FAILED", success: false })
      const error = res.body.events.at(-1).error
      expect(error).toMatchObject({ code: type, type: [type], retry_policy: { retry_codes: retryCodes } })
      if (type === "INSUFFICIENT_FUNDS") {
        expect(Date.parse(error.retry_policy.retry_after) - Date.now()).toBeGreaterThan(86000 * 1000)
      }
      expect(ctx.emu.charges()[0]).toMatchObject({ success: false, declineCode: type })
    })

    it("consumes queued outcomes one per charge, then falls back to the card's behaviour", async () => {
      const token = await paymentToken()
      ctx.emu.setTokenOutcomes(token, ["expired_card", "insufficient_funds"])
      const codes = []
      for (let i = 0; i < 3; i++) {
        const res = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { reference: `r-${i}` }))
        codes.push(res.body.events.at(-1).error?.code ?? res.body.status)
      }
      expect(codes).toEqual(["EXPIRED_CARD", "INSUFFICIENT_FUNDS", "AUTHORIZED"])
    })

    it("charges payex recurring_purchase with the recurrence token only", async () => {
      const id = await ctx.merchant.paidTransaction(PAYEX_TOKENS)
      const { card } = (await ctx.merchant.call("GET", `/transactions/${id}?includes=card.payment_token&includes=card.recurrence_token`)).body
      const withPaymentToken = await ctx.merchant.call(
        "POST",
        "/sessions/pay",
        mitBody({ payment_token: card.payment_token }, { operation: "recurring_purchase" }, "payex.creditcard")
      )
      expect(withPaymentToken.status).toBe(400)
      expect(withPaymentToken.body.error.message).toContain("recurrence_token")
      const res = await ctx.merchant.call(
        "POST",
        "/sessions/pay",
        mitBody({ recurrence_token: card.recurrence_token }, { operation: "recurring_purchase" }, "payex.creditcard")
      )
      expect(res.body).toMatchObject({ status: "AUTHORIZED", payment_operation: "recurring_purchase" })
      expect(res.body.card.recurrence_token_id).toBe(card.recurrence_token_id)
    })

    it("rejects a token of another payment product type", async () => {
      const token = await paymentToken()
      const res = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, {}, "bambora.creditcard"))
      expect(res.status).toBe(400)
      expect(res.body.error.message).toContain("dintero_psp.creditcard")
    })

    it("rejects an unknown operation and a missing order", async () => {
      const token = await paymentToken()
      const body = mitBody({ payment_token: token }, { operation: "subscription" })
      expect((await ctx.merchant.call("POST", "/sessions/pay", body)).status).toBe(400)
      const noOrder = mitBody({ payment_token: token })
      delete (noOrder.session as any).order
      expect((await ctx.merchant.call("POST", "/sessions/pay", noOrder)).status).toBe(400)
    })

    it("refuses a second authorized charge with strict-success-merchant-reference", async () => {
      const token = await paymentToken("4000000000003220")
      const strict = { "Dintero-Feature-Toggles": "strict-success-merchant-reference" }
      const declined = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { reference: "inv-7" }), strict)
      expect(declined.body.status).toBe("FAILED")
      ctx.emu.setTokenOutcomes(token, ["approve", "approve"])
      const first = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { reference: "inv-7" }), strict)
      expect(first.body.status).toBe("AUTHORIZED")
      const duplicate = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { reference: "inv-7" }), strict)
      expect(duplicate.status).toBe(400)
      expect(duplicate.body.error.code).toBe("DUPLICATE_MERCHANT_REFERENCE")
      expect(duplicate.body.success).toBe(false)
      expect(ctx.emu.charges()).toHaveLength(2)
    })

    // Spec, checkout_session_pay_post: a 400 answers `Error & SessionPayResult`, so a refused charge says
    // `success: false` beside the error; an authorization decline is 200 + FAILED instead (tested above).
    it("refuses a revoked token with 400 INVALID_TOKEN that carries the pay result (success: false)", async () => {
      const token = await paymentToken()
      ctx.emu.revokeToken(token)
      const refused = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { reference: "inv-9" }))
      expect(refused.status).toBe(400)
      expect(refused.body).toMatchObject({ success: false, error: { code: "INVALID_TOKEN", message: expect.any(String) } })
      expect(refused.body).not.toHaveProperty("status")
      expect(ctx.emu.charges()).toHaveLength(0)
      const invalid = await ctx.merchant.call("POST", "/sessions/pay", { session: {} })
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ success: false, error: { code: "INVALID_REQUEST" } })
    })

    it("refuses any reused merchant_reference with strict-merchant-reference", async () => {
      const token = await paymentToken("4000000000003220")
      const strict = { "Dintero-Feature-Toggles": "strict-merchant-reference" }
      await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { reference: "inv-8" }), strict)
      const again = await ctx.merchant.call("POST", "/sessions/pay", mitBody({ payment_token: token }, { reference: "inv-8" }), strict)
      expect(again.status).toBe(400)
    })
  })
})

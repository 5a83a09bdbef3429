import { ACCOUNT, request, useEmulator } from "./helpers"

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
})

describe("emulator: hosted checkout", () => {
  const ctx = useEmulator()

  it("shows the order lines, the total in major units and the test cards", async () => {
    const { body } = await ctx.merchant.createSession()
    const page = await request<string>(body.url)
    expect(page.status).toBe(200)
    expect(page.headers.get("content-type")).toContain("text/html")
    expect(page.body).toContain("Stablestol")
    expect(page.body).toContain("299.90 NOK")
    expect(page.body).toContain("Bring")
    expect(page.body).toContain("338.90 NOK")
    expect(page.body).toContain("4000000000009995")
    expect(page.body).toContain(`action="/v1/view/${body.id}/pay"`)
    const session = await ctx.merchant.call("GET", `/sessions/${body.id}`)
    expect(session.body.events.map((e: any) => e.name)).toEqual(["INITIATED", "VISITED"])
  })

  it("serves the page the Web SDK loads from a custom endpoint (/?sid=…)", async () => {
    const { body } = await ctx.merchant.createSession()
    const page = await request<string>(`${ctx.emu.url}/?sdk=0.8.30&ui=inline&language=no&sid=${body.id}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('name="sdk" value="0.8.30"')
    // The SDK sizes its iframe from HeightChanged messages carrying its own sid.
    expect(page.body).toContain(`type: "HeightChanged", sid: ${JSON.stringify(body.id)}`)
    const standalone = await request<string>(`${ctx.emu.url}/v1/view/${body.id}`)
    expect(standalone.body).not.toContain("HeightChanged")
  })

  it("pays with the card form and redirects to return_url with transaction_id, merchant_reference and session_id", async () => {
    const { body } = await ctx.merchant.createSession({ url: { return_url: "https://shop.example/return?cart=c1" } })
    const res = await request(`${ctx.emu.url}/v1/view/${body.id}/pay`, {
      method: "POST",
      ...form({ action: "pay", card: "4111 1111 1111 1111", expiry: "12/30", cvc: "123" }),
    })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get("location")!)
    expect(location.origin + location.pathname).toBe("https://shop.example/return")
    expect(location.searchParams.get("cart")).toBe("c1")
    expect(location.searchParams.get("merchant_reference")).toBe("order-1")
    expect(location.searchParams.get("session_id")).toBe(body.id)
    const transactionId = location.searchParams.get("transaction_id")!
    expect(transactionId).toMatch(new RegExp(`^${ACCOUNT}\\.`))

    const tx = await ctx.merchant.call("GET", `/transactions/${transactionId}`)
    expect(tx.body).toMatchObject({
      id: transactionId,
      session_id: body.id,
      merchant_reference: "order-1",
      amount: 33890,
      currency: "NOK",
      status: "AUTHORIZED",
      payment_product: "dintero_psp",
      payment_product_type: "dintero_psp.creditcard",
      card: { brand: "Visa", masked_pan: "411111******1111", expiry_date: "12/2030", type: "Credit" },
    })
    expect(tx.body.items).toEqual([
      expect.objectContaining({ line_id: "1", amount: 29990 }),
      expect.objectContaining({ id: "bring", line_id: "shipping", amount: 3900, type: "shipping", description: "Bring" }),
    ])
    expect(tx.body.events).toEqual([
      expect.objectContaining({ event: "AUTHORIZE", transaction_status: "AUTHORIZED", amount: 33890, success: true, request_id: expect.any(String) }),
    ])
    const session = await ctx.merchant.call("GET", `/sessions/${body.id}`)
    expect(session.body.transaction_id).toBe(transactionId)
    expect(session.body.events.map((e: any) => e.name)).toContain("AUTHORIZED")
  })

  it("answers JSON when the payer posts JSON with Accept: application/json", async () => {
    const { body } = await ctx.merchant.createSession()
    const res = await request(`${ctx.emu.url}/v1/view/${body.id}/pay`, {
      body: { card: "5555555555554444", expiry: "01/2031", cvc: "999" },
      headers: { accept: "application/json" },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ transaction_id: expect.any(String), status: "AUTHORIZED" })
    expect(res.body.redirect_url).toContain(`transaction_id=${encodeURIComponent(res.body.transaction_id)}`)
    expect(ctx.emu.transactions()[0].card).toMatchObject({ brand: "MasterCard", masked_pan: "555555******4444" })
  })

  it.each([
    ["4000000000000002", "DECLINED"],
    ["4000000000009995", "INSUFFICIENT_FUNDS"],
    ["4000000000000069", "EXPIRED_CARD"],
  ])("declines card %s with %s and keeps the session payable", async (card, code) => {
    const { body } = await ctx.merchant.createSession()
    const declined = await ctx.emu.pay(body.id, { card })
    expect(declined).toMatchObject({ error: "authorization", declineCode: code, redirectUrl: body.url })
    expect(declined.transactionId).toBeUndefined()
    const session = await ctx.merchant.call("GET", `/sessions/${body.id}`)
    expect(session.body.transaction_id).toBeUndefined()
    expect(session.body.events.at(-1)).toMatchObject({ name: "DECLINED", details: { error: code } })
    expect((await ctx.emu.pay(body.id, { card: "4111111111111111" })).transactionId).toBeDefined()
  })

  it("declines a card whose expiry date has passed", async () => {
    const { body } = await ctx.merchant.createSession()
    expect(await ctx.emu.pay(body.id, { expiry: "01/20" })).toMatchObject({ declineCode: "EXPIRED_CARD" })
  })

  it("re-renders the page with the decline when the form is used", async () => {
    const { body } = await ctx.merchant.createSession()
    const res = await request<string>(`${ctx.emu.url}/v1/view/${body.id}/pay`, {
      method: "POST",
      ...form({ action: "pay", card: "4000000000009995", expiry: "12/30", cvc: "123" }),
    })
    expect(res.status).toBe(200)
    expect(res.body).toContain("Payment declined: Insufficient funds")
  })

  it("pays through the card product the control API names, and refuses one it does not know", async () => {
    const { body } = await ctx.merchant.createSession()
    expect(await ctx.emu.pay(body.id, { productType: "bitcoin.wallet" as any })).toMatchObject({ error: "invalid_input" })
    const paid = await ctx.emu.pay(body.id, { productType: "payex.creditcard" })
    const tx = ctx.emu.transactions().find((t) => t.id === paid.transactionId)!
    expect(tx).toMatchObject({ payment_product: "payex", payment_product_type: "payex.creditcard" })
  })

  it("rejects an invalid card number without recording a decline", async () => {
    const { body } = await ctx.merchant.createSession()
    expect(await ctx.emu.pay(body.id, { card: "4111111111111112" })).toMatchObject({ error: "invalid_input" })
    expect(ctx.emu.sessions()[0].events).toHaveLength(1)
  })

  it("redirects with error=cancelled when the payer cancels", async () => {
    const { body } = await ctx.merchant.createSession()
    const res = await request(`${ctx.emu.url}/v1/view/${body.id}/pay`, { method: "POST", ...form({ action: "cancel" }) })
    expect(res.status).toBe(302)
    const location = new URL(res.headers.get("location")!)
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: "cancelled", merchant_reference: "order-1", session_id: body.id })
  })

  it("captures at once when configuration.auto_capture is true", async () => {
    const { body } = await ctx.merchant.createSession({ configuration: { auto_capture: true } })
    const { transactionId, status } = await ctx.emu.pay(body.id)
    expect(status).toBe("CAPTURED")
    const tx = await ctx.merchant.call("GET", `/transactions/${transactionId}`)
    expect(tx.body.events.map((e: any) => e.event)).toEqual(["AUTHORIZE", "CAPTURE"])
  })

  it("puts card 4000000000000341 ON_HOLD until the control API resolves it", async () => {
    const { body } = await ctx.merchant.createSession()
    const { transactionId, status } = await ctx.emu.pay(body.id, { card: "4000000000000341" })
    expect(status).toBe("ON_HOLD")
    expect(ctx.emu.resolveOnHold(transactionId!, "AUTHORIZED").status).toBe("AUTHORIZED")
    const tx = await ctx.merchant.call("GET", `/transactions/${transactionId}`)
    expect(tx.body.status).toBe("AUTHORIZED")
    expect(() => ctx.emu.resolveOnHold(transactionId!, "FAILED")).toThrow(/not ON_HOLD/)
  })

  it("uses payex.creditcard when the session enables only that card product", async () => {
    const { body } = await ctx.merchant.createSession({ configuration: { payex: { creditcard: { enabled: true } } } })
    await ctx.emu.pay(body.id)
    expect(ctx.emu.transactions()[0]).toMatchObject({ payment_product: "payex", payment_product_type: "payex.creditcard" })
  })

  it("posts the result to the parent window when embedded by the Web SDK", async () => {
    const { body } = await ctx.merchant.createSession()
    const res = await request<string>(`${ctx.emu.url}/v1/view/${body.id}/pay`, {
      method: "POST",
      ...form({ action: "pay", card: "4111111111111111", expiry: "12/30", cvc: "123", sdk: "0.8.30" }),
    })
    expect(res.status).toBe(200)
    expect(res.body).toContain('"type":"SessionPaymentAuthorized"')
    expect(res.body).toContain(`"sid":"${body.id}"`)
    expect(res.body).toContain("window.parent.postMessage(")
  })

  it("shows the embed result page", async () => {
    const res = await request<string>(`${ctx.emu.url}/embedResult/?sid=x&merchant_reference=order-1&error=cancelled`)
    expect(res.status).toBe(200)
    expect(res.body).toContain("Payment cancelled")
  })

  it("refuses to pay a session twice", async () => {
    const { body } = await ctx.merchant.createSession()
    await ctx.emu.pay(body.id)
    await expect(ctx.emu.pay(body.id)).rejects.toThrow(/already paid/)
    const page = await request<string>(body.url)
    expect(page.status).toBe(400)
  })
})

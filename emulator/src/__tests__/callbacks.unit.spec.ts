import { signatureHeader, signatureHex } from "../index"
import { Merchant, request, startEmulator, startReceiver, useEmulator } from "./helpers"

describe("emulator: callback signature", () => {
  it("matches Dintero's published example", () => {
    const input = { timestamp: 1582236537, accountId: "P00000000", method: "GET", url: "https://example.com/callback?B=123&A=992" }
    expect(signatureHex("123", input)).toBe("6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a")
    expect(signatureHeader("123", input)).toBe(
      "t=1582236537,v0-hmac-sha256=6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a"
    )
  })

  it("ignores the port and encodes spaces as +", () => {
    const base = { timestamp: 1, accountId: "T12345678", method: "GET" }
    expect(signatureHex("s", { ...base, url: "http://127.0.0.1:8080/cb?a=b%20c" })).toBe(
      signatureHex("s", { ...base, url: "http://127.0.0.1/cb?a=b+c" })
    )
  })
})

describe("emulator: callbacks", () => {
  const ctx = useEmulator({ signatureSecret: "callback-secret", callbackDelayScale: 0.001 })
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  beforeEach(async () => {
    receiver = await startReceiver()
  })
  afterEach(() => receiver.close())

  async function pay(callbackUrl: string, card = "4111111111111111") {
    const session = await ctx.merchant.createSession({ url: { callback_url: callbackUrl } })
    return { sessionId: session.body.id as string, ...(await ctx.emu.pay(session.body.id, { card })) }
  }

  it("calls callback_url with GET, the payment's query parameters and a valid signature", async () => {
    const { sessionId, transactionId } = await pay(`${receiver.url}?shop=eu`)
    const [attempt] = await ctx.emu.waitForCallbacks((a) => a.outcome === "delivered")
    expect(attempt).toMatchObject({ method: "GET", attempt: 1, status: 200, transactionId, sessionId })
    const [received] = receiver.received
    expect(received.method).toBe("GET")
    const query = Object.fromEntries(received.url.searchParams)
    expect(query).toMatchObject({ shop: "eu", transaction_id: transactionId, session_id: sessionId, merchant_reference: "order-1" })
    expect(Date.parse(query.time)).not.toBeNaN()
    expect(received.headers["event-delivery"]).toBe(attempt.deliveryId)

    const signature = String(received.headers["dintero-signature"])
    const t = Number(/^t=(\d+),/.exec(signature)![1])
    const url = `${receiver.url.split("?")[0]}?${received.url.searchParams}`
    expect(signature).toBe(signatureHeader("callback-secret", { timestamp: t, accountId: "T12345678", method: "GET", url }))
    const session = await ctx.merchant.call("GET", `/sessions/${sessionId}`)
    expect(session.body.events.map((e: any) => e.name)).toContain("AUTH_CALLBACK_SENT")
  })

  it("holds callbacks back on request and sends them when released", async () => {
    ctx.emu.holdCallbacks(true)
    const { transactionId } = await pay(receiver.url)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(receiver.received).toHaveLength(0)
    ctx.emu.holdCallbacks(false)
    const [attempt] = await ctx.emu.waitForCallbacks((a) => a.outcome === "delivered")
    expect(attempt.transactionId).toBe(transactionId)
  })

  it("uses sid instead of session_id with sid_parameter_name=sid", async () => {
    const { sessionId } = await pay(`${receiver.url}?sid_parameter_name=sid`)
    await ctx.emu.waitForCallbacks(() => true)
    expect(receiver.received[0].url.searchParams.get("sid")).toBe(sessionId)
    expect(receiver.received[0].url.searchParams.has("session_id")).toBe(false)
  })

  it("POSTs the transaction as JSON with method=POST", async () => {
    const { transactionId } = await pay(`${receiver.url}?method=POST`)
    await ctx.emu.waitForCallbacks(() => true)
    expect(receiver.received[0].method).toBe("POST")
    expect(JSON.parse(receiver.received[0].body)).toMatchObject({ id: transactionId, status: "AUTHORIZED" })
  })

  it("retries on HTTP 500 until the receiver accepts", async () => {
    receiver.statuses.push(500, 503)
    await pay(receiver.url)
    const attempts = await ctx.emu.waitForCallbacks((a) => a.outcome === "delivered")
    expect(ctx.emu.callbacks().map((a) => [a.attempt, a.status, a.outcome])).toEqual([
      [1, 500, "retrying"],
      [2, 503, "retrying"],
      [3, 200, "delivered"],
    ])
    expect(new Set(ctx.emu.callbacks().map((a) => a.deliveryId)).size).toBe(1)
    expect(attempts).toHaveLength(1)
  })

  it("treats a 4xx answer as a permanent failure and does not retry", async () => {
    receiver.statuses.push(404)
    await pay(receiver.url)
    await ctx.emu.waitForCallbacks((a) => a.outcome === "failed")
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(ctx.emu.callbacks()).toEqual([expect.objectContaining({ attempt: 1, status: 404, outcome: "failed" })])
    expect(receiver.received).toHaveLength(1)
  })

  it("retries when the receiver cannot be reached", async () => {
    const closed = await startReceiver()
    const unreachable = closed.url
    await closed.close()
    await pay(unreachable)
    const attempts = await ctx.emu.waitForCallbacks((a) => a.error === "ECONNREFUSED", 2000, 2)
    expect(attempts[0]).toMatchObject({ outcome: "retrying", attempt: 1 })
  })

  it("reports declines only with report_error=true", async () => {
    await pay(receiver.url, "4000000000000002")
    await pay(`${receiver.url}?report_error=true`, "4000000000000002")
    const [attempt] = await ctx.emu.waitForCallbacks(() => true)
    expect(attempt.callbackError).toBe("authorization")
    expect(attempt.transactionId).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(ctx.emu.callbacks()).toHaveLength(1)
  })

  it("reports CAPTURE and REFUND events listed in report_event", async () => {
    const { transactionId } = await pay(`${receiver.url}?report_event=CAPTURE&report_event=REFUND`)
    await ctx.merchant.call("POST", `/transactions/${transactionId}/capture`, { amount: 33890 })
    await ctx.merchant.call("POST", `/transactions/${transactionId}/refund`, { amount: 100 })
    const events = await ctx.emu.waitForCallbacks((a) => a.event !== undefined, 2000, 2)
    expect(events.map((a) => a.event).sort()).toEqual(["CAPTURE", "REFUND"])
    expect(events[0].query.event_id).toEqual(expect.any(String))
  })

  it("sends a second callback when an ON_HOLD payment is resolved", async () => {
    const { transactionId } = await pay(receiver.url, "4000000000000341")
    await ctx.emu.waitForCallbacks(() => true)
    ctx.emu.resolveOnHold(transactionId!, "FAILED")
    const attempts = await ctx.emu.waitForCallbacks(() => true, 2000, 2)
    expect(attempts[1].callbackError).toBe("failed")
    const tx = ctx.emu.transactions()[0]
    expect(tx.status).toBe("FAILED")
  })

  it("honours delay_callback (scaled for tests)", async () => {
    await pay(`${receiver.url}?delay_callback=30`)
    expect(ctx.emu.callbacks()).toHaveLength(0)
    await ctx.emu.waitForCallbacks(() => true, 2000)
  })

  it("creates and reads the signature secret with x-api-key", async () => {
    expect((await request(`${ctx.emu.baseUrl}/admin/signature`, { method: "POST" })).status).toBe(401)
    const created = await request(`${ctx.emu.baseUrl}/admin/signature`, { method: "POST", headers: { "x-api-key": "emulator-api-key" } })
    expect(created.body).toEqual({ signature: { type: "v0-hmac-sha256", secret: expect.any(String) } })
    const read = await request(`${ctx.emu.baseUrl}/admin/signature`, { headers: { "x-api-key": "emulator-api-key" } })
    expect(read.body.signature.secret).toBe(created.body.signature.secret)
  })
})

describe("emulator: callback shutdown", () => {
  it("stops pending retries on close()", async () => {
    const emu = await startEmulator({ callbackRetryDelayMs: 50 })
    const receiver = await startReceiver([500, 500, 500, 500])
    const merchant = new Merchant(emu)
    const session = await merchant.createSession({ url: { callback_url: receiver.url } })
    await emu.pay(session.body.id)
    await emu.waitForCallbacks(() => true)
    await emu.close()
    const seen = receiver.received.length
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(receiver.received.length).toBe(seen)
    await receiver.close()
  })
})

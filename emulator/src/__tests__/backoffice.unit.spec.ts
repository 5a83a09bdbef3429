import { request, startReceiver, useEmulator } from "./helpers"

const EVENTS = "report_event=CAPTURE&report_event=REFUND&report_event=VOID"

describe("emulator: operations made in Dintero's Backoffice", () => {
  const ctx = useEmulator({ signatureSecret: "callback-secret", callbackDelayScale: 0.001 })
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  beforeEach(async () => {
    receiver = await startReceiver()
  })
  afterEach(() => receiver.close())

  /** A paid session whose callback URL asks for `query`; the payment's own callback is awaited and forgotten. */
  async function paid(query = EVENTS, productType?: "payex.creditcard") {
    const session = await ctx.merchant.createSession({ url: { callback_url: `${receiver.url}?${query}` } })
    const { transactionId } = await ctx.emu.pay(session.body.id, productType ? { productType } : {})
    await ctx.emu.waitForCallbacks(() => true)
    receiver.received.length = 0
    return transactionId!
  }
  const eventCallbacks = () => ctx.emu.callbacks().filter((attempt) => attempt.event !== undefined)
  const operationRequests = () => ctx.emu.requests().filter((r) => /\/(capture|refund|void)$/.test(r.path))

  it("a full capture, part of it refunded, each reported with event and the id of its transaction event", async () => {
    const transactionId = await paid()
    const captured = ctx.emu.backoffice(transactionId, { operation: "capture" })
    expect(captured.status).toBe("CAPTURED")
    const refunded = ctx.emu.backoffice(transactionId, { operation: "refund", amount: 3900 })
    expect(refunded.status).toBe("PARTIALLY_REFUNDED")

    const callbacks = await ctx.emu.waitForCallbacks((a) => a.event !== undefined, 2000, 2)
    const [capture, refund] = refunded.events.filter((e) => e.event === "CAPTURE" || e.event === "REFUND")
    expect(capture).toMatchObject({ amount: 33890, created_by: expect.any(String) })
    expect(capture.event_reference).toBeUndefined()
    expect(refund).toMatchObject({ amount: 3900, created_by: expect.any(String) })
    expect(callbacks.map((a) => [a.query.event, a.query.event_id, a.transactionId]).sort()).toEqual(
      [
        ["CAPTURE", capture.id, transactionId],
        ["REFUND", refund.id, transactionId],
      ].sort()
    )
    // The callback is signed over its URL like any other, and carries the URL's own parameters back.
    expect(receiver.received.every((r) => r.url.searchParams.getAll("report_event").length === 3)).toBe(true)
    expect(receiver.received.every((r) => String(r.headers["dintero-signature"]).startsWith("t="))).toBe(true)
    // Not a call of the merchant's API client.
    expect(operationRequests()).toEqual([])
  })

  it("partial captures and a void of the rest (payex), each reported", async () => {
    const transactionId = await paid(EVENTS, "payex.creditcard")
    ctx.emu.backoffice(transactionId, { operation: "capture", amount: 10000 })
    ctx.emu.backoffice(transactionId, { operation: "capture", amount: 5000 })
    const voided = ctx.emu.backoffice(transactionId, { operation: "void" })
    expect(voided.events.filter((e) => e.event === "VOID").map((e) => e.amount)).toEqual([33890 - 15000])
    expect(voided.status).toBe("CAPTURED")
    const callbacks = await ctx.emu.waitForCallbacks((a) => a.event !== undefined, 2000, 3)
    expect(callbacks.map((a) => a.event).sort()).toEqual(["CAPTURE", "CAPTURE", "VOID"])
  })

  it("a void of an authorization nothing was captured from", async () => {
    const transactionId = await paid()
    expect(ctx.emu.backoffice(transactionId, { operation: "void" }).status).toBe("AUTHORIZATION_VOIDED")
    const [callback] = await ctx.emu.waitForCallbacks((a) => a.event !== undefined)
    expect(callback.event).toBe("VOID")
  })

  it("reports only the events the callback URL lists, and none without report_event", async () => {
    const onlyCaptures = await paid("report_event=CAPTURE")
    ctx.emu.backoffice(onlyCaptures, { operation: "capture" })
    ctx.emu.backoffice(onlyCaptures, { operation: "refund" })
    const silent = await paid("shop=1")
    ctx.emu.backoffice(silent, { operation: "void" })
    await ctx.emu.waitForCallbacks((a) => a.event !== undefined)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(eventCallbacks().map((a) => [a.event, a.transactionId])).toEqual([["CAPTURE", onlyCaptures]])
  })

  it("refuses what the API refuses, changes nothing and reports nothing", async () => {
    const transactionId = await paid()
    expect(() => ctx.emu.backoffice(transactionId, { operation: "refund", amount: 100 })).toThrow(/nothing is captured/)
    expect(() => ctx.emu.backoffice(transactionId, { operation: "capture", amount: 40000 })).toThrow(/exceeds the remaining/)
    expect(() => ctx.emu.backoffice(transactionId, { operation: "capture", amount: -1 })).toThrow(/positive integer/)
    expect(() => ctx.emu.backoffice(transactionId, { operation: "settle" } as never)).toThrow(/operation must be/)
    expect(() => ctx.emu.backoffice("T12345678.unknown", { operation: "void" })).toThrow(/not found/)
    const transaction = ctx.emu.transactions().find((t) => t.id === transactionId)!
    expect(transaction.status).toBe("AUTHORIZED")
    expect(transaction.events.map((e) => e.event)).toEqual(["AUTHORIZE"])
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(eventCallbacks()).toEqual([])
  })

  it("is reachable through the control API, with the API's error body on a refusal", async () => {
    const transactionId = await paid()
    const url = `${ctx.emu.url}/__emulator/transactions/${transactionId}/backoffice`
    const captured = await request(url, { body: { operation: "capture", amount: 10000 } })
    expect(captured.status).toBe(200)
    expect(captured.body).toMatchObject({ id: transactionId, status: "PARTIALLY_CAPTURED" })
    const refused = await request(url, { body: { operation: "refund", amount: 20000 } })
    expect(refused.status).toBe(400)
    expect(refused.body.error.message).toMatch(/exceeds the captured amount/)
    expect((await request(url, { body: { operation: "capture", amount: "all" } })).status).toBe(400)
    await ctx.emu.waitForCallbacks((a) => a.event === "CAPTURE")
  })
})

describe("emulator: report_error and delay_callback", () => {
  const ctx = useEmulator({ callbackDelayScale: 0.01 })
  let receiver: Awaited<ReturnType<typeof startReceiver>>
  beforeEach(async () => {
    receiver = await startReceiver()
  })
  afterEach(() => receiver.close())

  it("a payer who cancels is reported as error=cancelled without a transaction, only with report_error=true", async () => {
    const quiet = await ctx.merchant.createSession({ url: { callback_url: receiver.url } })
    await ctx.emu.pay(quiet.body.id, { cancel: true })
    const asked = await ctx.merchant.createSession({ url: { callback_url: `${receiver.url}?report_error=true` } })
    await ctx.emu.pay(asked.body.id, { cancel: true })
    const [attempt] = await ctx.emu.waitForCallbacks(() => true)
    expect(attempt).toMatchObject({ callbackError: "cancelled", sessionId: asked.body.id })
    expect(attempt.transactionId).toBeUndefined()
    expect(attempt.query.transaction_id).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(ctx.emu.callbacks()).toHaveLength(1)
  })

  it("waits delay_callback seconds (scaled), never more than Dintero's 60", async () => {
    const session = await ctx.merchant.createSession({ url: { callback_url: `${receiver.url}?delay_callback=600` } })
    const started = Date.now()
    await ctx.emu.pay(session.body.id)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(ctx.emu.callbacks()).toHaveLength(0)
    // 600 s is capped at 60 s: 600 ms at this scale, not 6 s.
    await ctx.emu.waitForCallbacks(() => true, 3000)
    expect(Date.now() - started).toBeGreaterThanOrEqual(550)
    expect(Date.now() - started).toBeLessThan(3000)
  })
})

import type { DinteroEmulator } from "../index"
import { Merchant, request, startEmulator, useEmulator } from "./helpers"

describe("emulator: fault injection", () => {
  const ctx = useEmulator()

  it("fails a matching request before processing it, with Retry-After", async () => {
    ctx.emu.injectFault({ kind: "status", status: 503, retryAfter: 2, match: { method: "POST", path: "/sessions-profile" } })
    const failed = await ctx.merchant.createSession()
    expect(failed.status).toBe(503)
    expect(failed.headers.get("retry-after")).toBe("2")
    expect(failed.body.error.code).toBe("SERVICE_UNAVAILABLE")
    expect(ctx.emu.sessions()).toHaveLength(0)
    expect((await ctx.merchant.createSession()).status).toBe(200)
    expect(ctx.emu.requests().find((r) => r.status === 503)).toMatchObject({ fault: "status 503 (before)", path: "/v1/sessions-profile" })
  })

  it("applies the operation and then fails the response with phase: after", async () => {
    const id = await ctx.merchant.paidTransaction()
    ctx.emu.injectFault({ kind: "status", status: 500, phase: "after", match: { path: "/^\\/v1\\/transactions\\/[^/]+\\/capture$/" } })
    const res = await ctx.merchant.call("POST", `/transactions/${id}/capture`, { amount: 33890 })
    expect(res.status).toBe(500)
    const reread = await ctx.merchant.call("GET", `/transactions/${id}`)
    expect(reread.body.status).toBe("CAPTURED")
  })

  it("arms follow-up faults only when a fault hits: the capture's answer is lost, then the reads fail", async () => {
    const id = await ctx.merchant.paidTransaction()
    ctx.emu.injectFault({
      kind: "reset",
      phase: "after",
      match: { method: "POST", path: "/capture" },
      then: [{ kind: "status", status: 503, count: 2, match: { method: "GET", path: "/transactions/" } }],
    })
    // A read before the capture is not hit: the read faults are not armed yet.
    expect((await ctx.merchant.call("GET", `/transactions/${id}`)).status).toBe(200)
    await expect(ctx.merchant.call("POST", `/transactions/${id}/capture`, { amount: 33890 })).rejects.toThrow()
    expect((await ctx.merchant.call("GET", `/transactions/${id}`)).status).toBe(503)
    expect((await ctx.merchant.call("GET", `/transactions/${id}`)).status).toBe(503)
    const reread = await ctx.merchant.call("GET", `/transactions/${id}`)
    expect(reread.body.status).toBe("CAPTURED")
  })

  it("refuses a follow-up fault that is not a valid fault, and arms nothing", async () => {
    expect(() => ctx.emu.injectFault({ kind: "reset", then: [{ kind: "explode" } as any] })).toThrow(/kind/)
    expect((await ctx.merchant.call("GET", "/transactions")).status).toBe(200)
  })

  it("reads a slash-separated path such as /sessions/pay as a path, not as a regex with flags", async () => {
    ctx.emu.injectFault({ kind: "status", status: 502, match: { path: "/sessions/pay" } })
    expect((await ctx.merchant.call("GET", "/transactions")).status).toBe(200)
    expect(ctx.emu.requests().filter((r) => r.status === 500)).toHaveLength(0)
  })

  it("resets the connection", async () => {
    ctx.emu.injectFault({ kind: "reset", match: { path: "/transactions" } })
    await expect(ctx.merchant.call("GET", "/transactions")).rejects.toThrow()
    expect((await ctx.merchant.call("GET", "/transactions")).status).toBe(200)
  })

  it("holds the response until the client gives up", async () => {
    await ctx.merchant.accessToken()
    ctx.emu.injectFault({ kind: "timeout", match: { path: "/transactions" } })
    const started = Date.now()
    const token = await ctx.merchant.accessToken()
    await expect(
      fetch(`${ctx.emu.baseUrl}/transactions`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(150) })
    ).rejects.toThrow()
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it("delays a response with a timeout fault that has delayMs", async () => {
    await ctx.merchant.accessToken()
    ctx.emu.injectFault({ kind: "timeout", delayMs: 100 })
    const started = Date.now()
    expect((await ctx.merchant.call("GET", "/transactions")).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
  })

  it("adds latency to API calls but not to the control API", async () => {
    await ctx.merchant.accessToken()
    // Wide apart, so a loaded machine's own delays cannot blur them.
    ctx.emu.setLatency(1000)
    let started = Date.now()
    await ctx.merchant.call("GET", "/transactions")
    expect(Date.now() - started).toBeGreaterThanOrEqual(990)
    started = Date.now()
    await request(`${ctx.emu.url}/__emulator/state`)
    expect(Date.now() - started).toBeLessThan(500)
  })

  it("never applies faults to the control API or the hosted page", async () => {
    ctx.emu.injectFault({ kind: "status", status: 500, count: 5 })
    expect((await request(`${ctx.emu.url}/__emulator/state`)).status).toBe(200)
    expect((await request(`${ctx.emu.url}/`)).status).toBe(200)
  })
})

describe("emulator: HTTP control API", () => {
  const ctx = {} as { emu: DinteroEmulator; merchant: Merchant }

  beforeAll(async () => {
    ctx.emu = await startEmulator()
  })
  afterAll(() => ctx.emu.close())
  beforeEach(async () => {
    await request(`${ctx.emu.url}/__emulator/reset`, { method: "POST" })
    ctx.merchant = new Merchant(ctx.emu)
  })

  const control = (method: string, path: string, body?: unknown) => request(`${ctx.emu.url}/__emulator${path}`, { method, body })

  it("pays a session, shows the state and lists requests", async () => {
    const session = await ctx.merchant.createSession()
    const paid = await control("POST", `/sessions/${session.body.id}/pay`, { card: "4111111111111111" })
    expect(paid.body).toMatchObject({ transactionId: expect.any(String), status: "AUTHORIZED" })
    const state = await control("GET", "/state")
    expect(state.body.sessions).toHaveLength(1)
    expect(state.body.transactions[0].id).toBe(paid.body.transactionId)
    expect(state.body.access_tokens_issued).toBe(1)
    const requests = await control("GET", "/requests")
    expect(requests.body.map((r: any) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "POST /v1/accounts/T12345678/auth/token 200",
      "POST /v1/sessions-profile 200",
    ])
    expect(requests.body[1].body.order.merchant_reference).toBe("order-1")
  })

  it("injects and clears faults", async () => {
    await ctx.merchant.accessToken()
    const added = await control("POST", "/faults", { kind: "status", status: 429, retryAfter: 1, count: 2 })
    expect(added.status).toBe(201)
    const limited = await ctx.merchant.call("GET", "/transactions")
    expect(limited.status).toBe(429)
    expect(limited.headers.get("retry-after")).toBe("1")
    await control("DELETE", "/faults")
    expect((await ctx.merchant.call("GET", "/transactions")).status).toBe(200)
    expect((await control("POST", "/faults", { kind: "explode" })).status).toBe(400)
  })

  it("resolves ON_HOLD transactions, queues token outcomes, revokes tokens and expires access tokens", async () => {
    const session = await ctx.merchant.createSession({ configuration: { dintero_psp: { creditcard: { generate_payment_token: true } } } })
    const paid = await control("POST", `/sessions/${session.body.id}/pay`, { card: "4000000000000341" })
    const resolved = await control("POST", `/transactions/${paid.body.transactionId}/resolve`, { status: "AUTHORIZED" })
    expect(resolved.body.status).toBe("AUTHORIZED")
    const tokenId = resolved.body.card.payment_token_id
    expect((await control("POST", `/tokens/${tokenId}/outcomes`, { outcomes: ["do_not_retry"] })).body.queuedOutcomes).toEqual(["do_not_retry"])
    expect((await control("POST", `/tokens/${tokenId}/outcomes`, { outcomes: ["nope"] })).status).toBe(400)
    expect((await control("POST", `/tokens/${tokenId}/revoke`)).body.status).toBe("REVOKED")
    await control("POST", "/auth/expire")
    expect((await ctx.merchant.call("GET", "/transactions")).status).toBe(401)
  })

  it("sets latency over HTTP", async () => {
    expect((await control("POST", "/latency", { ms: 5 })).body).toEqual({ latency_ms: 5 })
    expect((await control("POST", "/latency", { ms: -1 })).status).toBe(400)
  })
})

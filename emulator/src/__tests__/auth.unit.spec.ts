import type { DinteroEmulator } from "../index"
import { ACCOUNT, AUDIENCE, BASIC, Merchant, request, startEmulator } from "./helpers"

describe("emulator: authentication", () => {
  let emu: DinteroEmulator
  let clock: Date

  beforeAll(async () => {
    clock = new Date("2030-01-01T00:00:00Z")
    emu = await startEmulator({
      now: () => clock,
      accounts: [
        { accountId: ACCOUNT, clientId: "emulator-client-id", clientSecret: "emulator-client-secret" },
        { accountId: "T87654321", clientId: "other-id", clientSecret: "other-secret" },
      ],
    })
  })
  afterAll(() => emu.close())
  beforeEach(() => {
    emu.reset()
    clock = new Date("2030-01-01T00:00:00Z")
  })

  const tokenRequest = (body: unknown, authorization = BASIC) =>
    request(`${emu.baseUrl}/accounts/${ACCOUNT}/auth/token`, { body, headers: { authorization } })

  it("issues a bearer token for valid client credentials", async () => {
    const res = await tokenRequest({ grant_type: "client_credentials", audience: AUDIENCE })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 14400 })
    expect(res.body.access_token.split(".")).toHaveLength(3)
    expect(res.headers.get("request-id")).toMatch(/^[0-9a-f-]{36}$/)
    expect(emu.accessTokensIssued()).toBe(1)
  })

  it("rejects wrong client credentials with 401", async () => {
    const wrong = `Basic ${Buffer.from("emulator-client-id:nope").toString("base64")}`
    const res = await tokenRequest({ grant_type: "client_credentials", audience: AUDIENCE }, wrong)
    expect(res.status).toBe(401)
    expect(res.body.error).toEqual({ code: "UNAUTHORIZED", message: expect.any(String) })
  })

  it("rejects a wrong grant_type or audience with 400", async () => {
    expect((await tokenRequest({ grant_type: "password", audience: AUDIENCE })).status).toBe(400)
    const res = await tokenRequest({ grant_type: "client_credentials", audience: "https://api.dintero.com/v1/accounts/T00000000" })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toContain(AUDIENCE)
  })

  it("requires a bearer token on API calls", async () => {
    const missing = await request(`${emu.baseUrl}/transactions`)
    expect(missing.status).toBe(401)
    const unknown = await request(`${emu.baseUrl}/transactions`, { headers: { authorization: "Bearer forged" } })
    expect(unknown.status).toBe(401)
  })

  it("refuses a token once it has expired by the clock", async () => {
    const merchant = new Merchant(emu)
    expect((await merchant.call("GET", "/transactions")).status).toBe(200)
    clock = new Date(clock.getTime() + 14400 * 1000)
    const expired = await merchant.call("GET", "/transactions")
    expect(expired.status).toBe(401)
    expect(expired.body.error.message).toMatch(/expired/)
  })

  it("refuses tokens after expireAccessTokens()", async () => {
    const merchant = new Merchant(emu)
    await merchant.accessToken()
    emu.expireAccessTokens()
    expect((await merchant.call("GET", "/transactions")).status).toBe(401)
  })

  it("forbids touching another account's resources", async () => {
    const owner = new Merchant(emu)
    const session = await owner.createSession()
    const other = new Merchant(emu, "T87654321", `Basic ${Buffer.from("other-id:other-secret").toString("base64")}`)
    const res = await other.call("GET", `/sessions/${session.body.id}`)
    expect(res.status).toBe(403)
  })

  it("counts token issuances so tests can check that clients cache tokens", async () => {
    const merchant = new Merchant(emu)
    await merchant.call("GET", "/transactions")
    await merchant.call("GET", "/transactions")
    expect(emu.accessTokensIssued()).toBe(1)
    const tokenCalls = emu.requests().filter((r) => r.path.endsWith("/auth/token"))
    expect(tokenCalls).toHaveLength(1)
    expect(tokenCalls[0].headers.authorization).toBe("[redacted]")
  })
})

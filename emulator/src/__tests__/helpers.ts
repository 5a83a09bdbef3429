/** Test helpers: a minimal Dintero API client over real HTTP and a callback receiver. */
import http from "node:http"
import type { AddressInfo } from "node:net"
import { startDinteroEmulator, type DinteroEmulator, type DinteroEmulatorOptions } from "../index"

export const ACCOUNT = "T12345678"
export const AUDIENCE = `https://api.dintero.com/v1/accounts/${ACCOUNT}`
export const BASIC = `Basic ${Buffer.from("emulator-client-id:emulator-client-secret").toString("base64")}`

export interface HttpResult<T = any> {
  status: number
  body: T
  headers: Headers
}

export function startEmulator(options: DinteroEmulatorOptions = {}): Promise<DinteroEmulator> {
  return startDinteroEmulator({ callbackRetryDelayMs: 20, callbackTimeoutMs: 1000, ...options })
}

export async function request<T = any>(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...init.headers }
  if (init.body !== undefined) headers["content-type"] ??= "application/json"
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    redirect: "manual",
  })
  const text = await response.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    // HTML pages stay text.
  }
  return { status: response.status, body: body as T, headers: response.headers }
}

/** Talks to the emulator like a merchant backend: fetches one token and uses it as Bearer. */
export class Merchant {
  private token?: string

  constructor(readonly emu: DinteroEmulator, readonly account = ACCOUNT, readonly basic = BASIC) {}

  async accessToken(): Promise<string> {
    if (this.token) return this.token
    const res = await request(`${this.emu.baseUrl}/accounts/${this.account}/auth/token`, {
      body: { grant_type: "client_credentials", audience: `https://api.dintero.com/v1/accounts/${this.account}` },
      headers: { authorization: this.basic },
    })
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(res.body)}`)
    this.token = res.body.access_token as string
    return this.token
  }

  async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const token = await this.accessToken()
    return request<T>(`${this.emu.baseUrl}${path}`, { method, body, headers: { authorization: `Bearer ${token}`, ...headers } })
  }

  createSession(overrides: Record<string, any> = {}, headers: Record<string, string> = {}, query = "") {
    return this.call("POST", `/sessions-profile${query}`, sessionBody(overrides), headers)
  }

  /** Creates a session, pays it with `card` and returns the transaction id. */
  async paidTransaction(overrides: Record<string, any> = {}, card = "4111111111111111"): Promise<string> {
    const session = await this.createSession(overrides)
    if (session.status !== 200) throw new Error(`session failed: ${JSON.stringify(session.body)}`)
    const result = await this.emu.pay(session.body.id, { card })
    if (!result.transactionId) throw new Error(`payment failed: ${JSON.stringify(result)}`)
    return result.transactionId
  }
}

/** A session body like Dintero's create-session example: 29990 item + 3900 shipping. */
export function sessionBody(overrides: Record<string, any> = {}): Record<string, any> {
  const { order, url, ...rest } = overrides
  return {
    profile_id: "default",
    url: { return_url: "https://shop.example/return", ...url },
    order: {
      amount: 33890,
      currency: "NOK",
      merchant_reference: "order-1",
      vat_amount: 6780,
      items: [{ id: "chair-1", line_id: "1", description: "Stablestol", quantity: 1, amount: 29990, vat_amount: 6000, vat: 25 }],
      shipping_option: { id: "bring", line_id: "shipping", amount: 3900, vat_amount: 780, vat: 25, title: "Bring", operator: "Bring" },
      ...order,
    },
    ...rest,
  }
}

export interface ReceivedCallback {
  method: string
  url: URL
  headers: http.IncomingHttpHeaders
  body: string
}

/** An HTTP server that records callbacks and answers with queued statuses (then 200). */
export async function startReceiver(statuses: number[] = []) {
  const received: ReceivedCallback[] = []
  const server = http.createServer((req, res) => {
    let body = ""
    req.on("data", (chunk) => (body += chunk))
    req.on("end", () => {
      received.push({ method: req.method!, url: new URL(req.url!, "http://127.0.0.1"), headers: req.headers, body })
      res.writeHead(statuses.shift() ?? 200)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/dintero/callback`,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** One emulator per suite, reset before each test, with a merchant client for it. */
export function useEmulator(options: DinteroEmulatorOptions = {}) {
  const ctx = {} as { emu: DinteroEmulator; merchant: Merchant }
  beforeAll(async () => {
    ctx.emu = await startEmulator(options)
  })
  afterAll(() => ctx.emu.close())
  beforeEach(() => {
    ctx.emu.reset()
    ctx.merchant = new Merchant(ctx.emu)
  })
  return ctx
}

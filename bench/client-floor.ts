/**
 * What DinteroClient costs on top of the HTTP request it makes. For each operation the plugin sends, N calls
 * through DinteroClient are interleaved with N bare undici `Pool.request` calls of the same method, URL, headers
 * and body through one keep-alive Pool (the floor: send, read the JSON body, nothing else), against the emulator
 * running in its own process on loopback with no added latency. Prints median and p99 of both and their ratio,
 * measured in this one run. Then the cold start: 50 concurrent callers on a fresh client must cause exactly one
 * token request (counted at the emulator).
 *
 *   npm run bench:client      (BENCH_CALLS=500 per side and operation, BENCH_WARMUP=100, BENCH_ONLY=capture
 *                              to run the operations whose name contains that text, e.g. under `node --cpu-prof`)
 *
 * The emulator runs in a child process so that its CPU time does not share the measured client's event loop.
 * Mutating operations get a fresh object per call (prepared before the timed loop, the same kind for both sides).
 */
import { Pool } from "undici"
import { DinteroClient } from "../src/lib/dintero"
import { startEmulatorProcess } from "./emulator-process"

const CALLS = Number(process.env.BENCH_CALLS ?? 500)
const WARMUP = Number(process.env.BENCH_WARMUP ?? 100)
const COLD_CALLERS = 50
const ACCOUNT = "T12345678"
const CLIENT_ID = "emulator-client-id"
const CLIENT_SECRET = "emulator-client-secret"
const SYSTEM = { name: "bench", version: "0", pluginName: "medusa-payment-dintero", pluginVersion: "bench" }

type FloorRequest = { method: "GET" | "POST" | "PUT"; path: string; body?: unknown; headers?: Record<string, string> }
type Operation<F> = {
  name: string
  /** One fixture per call, made before the timed loop (fresh sessions and transactions for mutations). */
  prepare?: () => Promise<F>
  client: (fixture: F) => Promise<unknown>
  floor: (fixture: F) => FloorRequest
}

async function main() {
  const emulator = await startEmulatorProcess(["--token-ttl", "14400"])
  const origin = new URL(emulator.baseUrl).origin
  const prefix = new URL(emulator.baseUrl).pathname // "/v1"
  const pool = new Pool(origin, { connections: 16, keepAliveTimeout: 30_000 })
  const newClient = () =>
    new DinteroClient({
      accountId: ACCOUNT,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      apiBaseUrl: emulator.baseUrl,
      checkoutBaseUrl: emulator.baseUrl,
      timeoutMs: 10_000,
      retry: { maxRetries: 2, baseDelayMs: 50, maxDelayMs: 1000 },
      system: SYSTEM,
      // The provider always passes a log (to logger.debug); a no-op one keeps the cost of building the lines.
      log: () => {},
    })

  // The floor: the same request the client sends, through one keep-alive pool, body parsed as JSON.
  const bare = async (request: FloorRequest): Promise<any> => {
    const response = await pool.request({
      method: request.method,
      path: request.path.startsWith("/__emulator") ? request.path : prefix + request.path,
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    })
    const data = await response.body.json()
    if (response.statusCode >= 300) {
      throw new Error(`${request.method} ${request.path} answered ${response.statusCode}: ${JSON.stringify(data)}`)
    }
    return data
  }
  const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`
  const tokenRequest: FloorRequest = {
    method: "POST",
    path: `/accounts/${ACCOUNT}/auth/token`,
    headers: { ...systemHeaders(), "content-type": "application/json", authorization: basic },
    body: { grant_type: "client_credentials", audience: `https://api.dintero.com/v1/accounts/${ACCOUNT}` },
  }
  let headers: Record<string, string> = {}
  let jsonHeaders: Record<string, string> = {}
  const api = (method: FloorRequest["method"], path: string, body?: unknown, extra?: Record<string, string>): FloorRequest => ({
    method,
    path,
    body,
    headers: { ...(body === undefined ? headers : jsonHeaders), ...extra },
  })

  // ── Fixtures ──────────────────────────────────────────────────────────────────────────────────────
  let serial = 0
  const order = (amount = 10000) => ({
    amount,
    currency: "NOK",
    vat_amount: amount / 5,
    merchant_reference: `bench-${process.pid}-${++serial}`,
    items: [{ line_id: "1", quantity: 1, amount, vat_amount: amount / 5, vat: 25, description: "Sweater" }],
  })
  const sessionBody = (extra: Record<string, unknown> = {}) => ({
    profile_id: "default",
    // No callback_url: the emulator would try to call it, and that work is not what is measured.
    url: { return_url: "https://shop.example/return" },
    order: order(),
    ...extra,
  })
  const strict = { "dintero-feature-toggles": "strict-session-amounts" }
  const newSession = async (extra?: Record<string, unknown>): Promise<string> =>
    (await bare(api("POST", "/sessions-profile", sessionBody(extra), strict))).id
  const paidSession = async (extra?: Record<string, unknown>) => {
    const sessionId = await newSession(extra)
    const paid = await bare({ method: "POST", path: `/__emulator/sessions/${sessionId}/pay`, body: { card: "4111111111111111" }, headers: { "content-type": "application/json" } })
    return { sessionId, transactionId: paid.transactionId as string }
  }
  const captured = async () => {
    const { transactionId } = await paidSession()
    await bare(api("POST", `/transactions/${transactionId}/capture`, { amount: 10000, capture_reference: `c-${++serial}` }))
    return transactionId
  }

  const client = newClient()
  // The token source is internal to the client; the bench drives it directly to time one token request.
  const tokens = (client as any).tokens as { invalidate(): void; get(): Promise<string> }
  let reads = { sessionId: "", transactionId: "" }
  let saved = { sessionId: "", transactionId: "" }
  let paymentToken = ""
  /**
   * Each operation starts from an emptied emulator (its lists are scanned linearly, so the thousands of objects
   * made for earlier operations would otherwise slow the server and flatter the ratios), with new access tokens.
   */
  const fresh = async () => {
    await bare({ method: "POST", path: "/__emulator/reset" })
    tokens.invalidate()
    await tokens.get()
    const token: string = (await bare(tokenRequest)).access_token
    headers = { ...systemHeaders(), authorization: `Bearer ${token}` }
    jsonHeaders = { ...headers, "content-type": "application/json" }
    reads = await paidSession()
    saved = await paidSession({ configuration: { dintero_psp: { creditcard: { enabled: true, generate_payment_token: true } } } })
    paymentToken = (await bare(api("GET", `/transactions/${saved.transactionId}?includes=card.payment_token`))).card.payment_token
  }
  const charge = () => ({
    session: {
      customer: { tokens: { "dintero_psp.creditcard": { payment_token: paymentToken } } },
      order: order(5000),
      configuration: { auto_capture: false },
    },
    payment: { payment_product_type: "dintero_psp.creditcard" as const, operation: "unscheduled_purchase" as const },
  })
  const orderUpdate = () => {
    const { merchant_reference: _, ...update } = order(25000)
    return update
  }
  const operations: Operation<any>[] = [
    {
      name: "token (POST auth/token)",
      client: async () => {
        tokens.invalidate()
        return tokens.get()
      },
      floor: () => tokenRequest,
    },
    {
      name: "get session",
      client: () => client.getSession(reads.sessionId),
      floor: () => api("GET", `/sessions/${reads.sessionId}`),
    },
    {
      name: "get transaction",
      client: () => client.getTransaction(reads.transactionId),
      floor: () => api("GET", `/transactions/${reads.transactionId}`),
    },
    {
      name: "get transaction + card token",
      client: () => client.getTransaction(saved.transactionId, ["card.payment_token"]),
      floor: () => api("GET", `/transactions/${saved.transactionId}?includes=card.payment_token`),
    },
    {
      name: "list transactions by session",
      client: () => client.listTransactions({ sessionId: reads.sessionId, limit: 10 }),
      floor: () => api("GET", `/transactions?session_id=${encodeURIComponent(reads.sessionId)}&limit=10`),
    },
    {
      name: "create session",
      prepare: async () => sessionBody(),
      client: (body) => client.createSession(body),
      floor: (body) => api("POST", "/sessions-profile", body, strict),
    },
    {
      name: "update session",
      prepare: async () => ({ sessionId: await newSession(), update: orderUpdate() }),
      client: ({ sessionId, update }) => client.updateSession(sessionId, update),
      floor: ({ sessionId, update }) =>
        api("PUT", `/sessions/${sessionId}?update_without_lock=true`, { order: update, remove_lock: true }),
    },
    {
      name: "cancel session",
      prepare: () => newSession(),
      client: (sessionId) => client.cancelSession(sessionId),
      floor: (sessionId) => api("POST", `/sessions/${sessionId}/cancel`),
    },
    {
      name: "capture",
      prepare: async () => ({ id: (await paidSession()).transactionId, body: { amount: 10000, capture_reference: `c-${++serial}` } }),
      client: ({ id, body }) => client.captureTransaction(id, body),
      floor: ({ id, body }) => api("POST", `/transactions/${id}/capture`, body),
    },
    {
      name: "refund",
      prepare: async () => ({ id: await captured(), body: { amount: 4000, refund_reference: `r-${++serial}` } }),
      client: ({ id, body }) => client.refundTransaction(id, body),
      floor: ({ id, body }) => api("POST", `/transactions/${id}/refund`, body),
    },
    {
      name: "void",
      prepare: async () => (await paidSession()).transactionId,
      client: (id) => client.voidTransaction(id),
      floor: (id) => api("POST", `/transactions/${id}/void`),
    },
    {
      name: "pay with card token (sessions/pay)",
      prepare: async () => charge(),
      client: (body) => client.payWithStoredCard(body, { rejectReusedMerchantReference: true }),
      floor: (body) => api("POST", "/sessions/pay", body, { "dintero-feature-toggles": "strict-success-merchant-reference" }),
    },
  ]

  const only = process.env.BENCH_ONLY
  if (only) operations.splice(0, operations.length, ...operations.filter((operation) => operation.name.includes(only)))
  await sameRequestsOnTheWire(operations)
  const load = await emulatorLoadNote()
  console.log(`Client against a bare undici request: ${CALLS} calls per side and operation (after ${WARMUP} warm-up), interleaved, one at a time`)
  console.log(`emulator in its own process on ${origin}, latency 0; ${load}\n`)
  const rows: string[][] = [["operation", "client median", "floor median", "ratio", "client p99", "floor p99", "ratio p99"]]
  const ratios: number[] = []
  for (const operation of operations) {
    await fresh()
    const fixtures = async (count: number) => {
      const made = []
      for (let i = 0; i < count; i++) made.push(operation.prepare ? await operation.prepare() : undefined)
      return made
    }
    const run = async (count: number) => {
      const [forClient, forFloor] = [await fixtures(count), await fixtures(count)]
      const clientMs: number[] = []
      const floorMs: number[] = []
      for (let i = 0; i < count; i++) {
        // Alternate who goes first, so neither side always meets a just-warmed (or just-collected) heap.
        const sides: Array<() => Promise<void>> = [
          async () => clientMs.push(await timed(() => operation.client(forClient[i]))),
          async () => floorMs.push(await timed(() => bare(operation.floor(forFloor[i])))),
        ]
        if (i % 2) sides.reverse()
        for (const side of sides) await side()
      }
      return { clientMs, floorMs }
    }
    await run(WARMUP)
    const { clientMs, floorMs } = await run(CALLS)
    const [cm, fm, c99, f99] = [quantile(clientMs, 0.5), quantile(floorMs, 0.5), quantile(clientMs, 0.99), quantile(floorMs, 0.99)]
    ratios.push(cm / fm)
    rows.push([operation.name, ms(cm), ms(fm), `${(cm / fm).toFixed(2)}×`, ms(c99), ms(f99), `${(c99 / f99).toFixed(2)}×`])
  }
  console.log(table(rows))
  const geo = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length)
  console.log(`\ngeometric mean of the median ratios: ${geo.toFixed(2)}× (goal ≤ 1.10×)`)

  /** The floor must send what the client sends: compare, as the emulator recorded them, one request of each op. */
  async function sameRequestsOnTheWire(all: Operation<any>[]) {
    await fresh()
    for (const operation of all) {
      const [forClient, forFloor] = operation.prepare ? [await operation.prepare(), await operation.prepare()] : []
      const mark = () => bare({ method: "GET", path: "/__emulator/requests" }).then((r: unknown[]) => r.length)
      const start = await mark()
      await operation.client(forClient)
      const middle = await mark()
      await bare(operation.floor(forFloor))
      const recorded = (await bare({ method: "GET", path: "/__emulator/requests" })) as Array<Record<string, any>>
      const shape = (r: Record<string, any>) =>
        JSON.stringify({ method: r.method, path: r.path.replace(/T\d{8}\.[^/]+/g, "{id}"), query: Object.keys(r.query ?? {}).sort(), headers: Object.keys(r.headers ?? {}).filter((h) => h !== "content-length").sort() })
      const [fromClient, fromFloor] = [recorded.slice(start, middle).filter((r) => !r.path.startsWith("/__")), recorded.slice(middle).filter((r) => !r.path.startsWith("/__"))]
      if (fromClient.length !== 1 || fromFloor.length !== 1 || shape(fromClient[0]) !== shape(fromFloor[0])) {
        throw new Error(`${operation.name}: the floor does not send what the client sends:\n${fromClient.map(shape).join("\n")}\n${fromFloor.map(shape).join("\n")}`)
      }
    }
  }

  // ── Cold start: many callers, one token request ───────────────────────────────────────────────────
  const tokenCalls = async () =>
    ((await bare({ method: "GET", path: "/__emulator/requests" })) as Array<{ path: string }>).filter((r) => r.path.endsWith("/auth/token")).length
  await fresh()
  const before = await tokenCalls()
  const cold = newClient()
  await Promise.all(Array.from({ length: COLD_CALLERS }, () => cold.getTransaction(reads.transactionId)))
  const tokenRequests = (await tokenCalls()) - before
  console.log(`cold start: ${COLD_CALLERS} concurrent callers on a fresh client → ${tokenRequests} token request(s) (goal: 1)`)

  await cold.close()
  await client.close()
  await pool.close()
  emulator.stop()
  if (tokenRequests !== 1) process.exitCode = 1
}

function systemHeaders(): Record<string, string> {
  // What DinteroClient sends on every request (see DinteroClient's constructor).
  return {
    accept: "application/json",
    "user-agent": `${SYSTEM.pluginName}/${SYSTEM.pluginVersion}`,
    "dintero-system-name": SYSTEM.name,
    "dintero-system-version": SYSTEM.version,
    "dintero-system-plugin-name": SYSTEM.pluginName,
    "dintero-system-plugin-version": SYSTEM.pluginVersion,
  }
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await call()
  return performance.now() - started
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}

const ms = (value: number) => `${value.toFixed(3)} ms`

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  const line = (row: string[]) => `| ${row.map((cell, column) => (column ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join(" | ")} |`
  return [line(rows[0]), `|${widths.map((w, column) => (column ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`, ...rows.slice(1).map(line)].join("\n")
}

async function emulatorLoadNote(): Promise<string> {
  const os = await import("node:os")
  return `load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} CPUs`
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

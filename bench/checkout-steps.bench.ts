/**
 * Each checkout step with Dintero against Medusa's built-in `pp_system_default`, in one booted Medusa
 * (PostgreSQL), the Dintero emulator in its own process on loopback at latency 0:
 *   (a) POST /store/payment-collections/:id/payment-sessions, Dintero and system carts interleaved;
 *   (b) POST /store/carts/:id/complete — for Dintero after paying on the emulator's page (the return);
 *   (c) Dintero's signed callback for a paid cart, against the system cart's completion as the floor;
 *   a burst of signed callbacks (BENCH_BURST carts, 20 at a time): callbacks/s, CPU, requests per callback.
 * For every step it prints the median and p90, what Dintero adds beyond the floor minus Dintero's own round
 * trips (each logged request replayed against the emulator and timed), the Dintero requests the step made
 * (the emulator's request log) and the SQL statements it ran (pg's Client#query, Medusa runs in-process).
 * Asserts only correctness: one order per cart, every cart completed.
 *
 *   npm run bench:checkout            (BENCH_CARTS per provider, default 30; BENCH_BURST, default 100)
 */
import "../integration-tests/helpers/env"
import { randomBytes } from "node:crypto"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { freePort } from "../scripts/demo/ports"
import { countSqlStatements, startEmulatorProcess, type EmulatorProcess } from "./emulator-process"
import { fromAxios, type StoreHttp } from "../scripts/lib/http"
import { seedStore } from "../scripts/lib/seed-store"
import { completeCart, initiatePaymentSession, prepareCart, storeClient } from "../scripts/lib/store-checkout"
import { createAdminAndLogin } from "../integration-tests/helpers/admin-user"
import { CALLBACK_SECRET } from "../integration-tests/helpers/dintero-store"
import { callbackQuery, signedCallback } from "../integration-tests/helpers/dintero-callbacks"

jest.setTimeout(30 * 60_000)

const CARTS = Number(process.env.BENCH_CARTS ?? 30)
const BURST = Number(process.env.BENCH_BURST ?? 100)
const BURST_CONCURRENCY = 20
const DINTERO = "pp_dintero_dintero"
const SYSTEM = "pp_system_default"
const ACCOUNT = "T12345678"

Object.assign(process.env, {
  SUBSCRIPTION_RENEWAL_JOB: "off",
  SUBSCRIPTION_NOTICES_JOB: "off",
  DINTERO_RECONCILIATION_JOB: "off",
})

// ── The emulator, in its own process ─────────────────────────────────────────────────────────────────

let emulator: EmulatorProcess

beforeAll(async () => {
  emulator = await startEmulatorProcess(["--signature-secret", CALLBACK_SECRET, "--callback-delay-scale", "0.01"])
  const port = await freePort()
  Object.assign(process.env, {
    PORT: String(port),
    MEDUSA_BACKEND_URL: `http://localhost:${port}`,
    DINTERO_API_BASE_URL: emulator.baseUrl,
    DINTERO_CHECKOUT_BASE_URL: emulator.baseUrl,
    DINTERO_CALLBACK_SECRET: CALLBACK_SECRET,
    DINTERO_AUTO_CAPTURE: "false",
    DINTERO_SAVE_CARDS: "subscriptions",
    DINTERO_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  })
  // Callbacks are sent by the bench itself, when it measures them; the emulator's own stay held.
  await control("POST", "/callbacks/hold", { enabled: true })
  await control("POST", "/latency", { ms: 0 })
})

afterAll(() => {
  emulator?.stop()
})

const control = (method: string, route: string, body?: unknown): Promise<any> => emulator.control(method, route, body)

type LoggedRequest = { method: string; path: string; query: Record<string, unknown>; body?: unknown; status: number }

async function requestLogLength(): Promise<number> {
  return ((await control("GET", "/requests")) as LoggedRequest[]).length
}

async function requestsSince(start: number): Promise<LoggedRequest[]> {
  return ((await control("GET", "/requests")) as LoggedRequest[]).slice(start)
}

// ── SQL statements, counted on pg's Client (both copies: Medusa's knex and MikroORM's) ───────────────

const sql = countSqlStatements()

// ── Measuring ─────────────────────────────────────────────────────────────────────────────────────────

type Sample = { ms: number; requests: LoggedRequest[]; sql: number }

async function measured(step: () => Promise<void>): Promise<Sample> {
  const logStart = await requestLogLength()
  const sqlStart = sql.count()
  const started = performance.now()
  await step()
  const ms = performance.now() - started
  const statements = sql.count() - sqlStart
  return { ms, sql: statements, requests: await requestsSince(logStart) }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}
const median = (values: number[]) => quantile(values, 0.5)
const p90 = (values: number[]) => quantile(values, 0.9)
const kindOf = (request: LoggedRequest) =>
  `${request.method} ${request.path.replace(/\/(T\d{8}\.[^/]+|[0-9a-f-]{20,}|T\d{8}[^/]*)/g, "/:id")}${
    request.query?.session_id ? "?session_id=" : request.query?.includes ? "?includes=" : ""
  }`

/**
 * Dintero's own round trip for each kind of request the plugin made: the logged requests replayed from this
 * process (a fresh token, the same method, path, query and body) and timed; the median per kind.
 */
async function roundTrips(samples: Sample[]): Promise<Map<string, number>> {
  const token = await accessToken()
  const byKind = new Map<string, LoggedRequest[]>()
  for (const request of samples.flatMap((sample) => sample.requests)) {
    const kind = kindOf(request)
    if (!byKind.has(kind)) byKind.set(kind, [])
    byKind.get(kind)!.push(request)
  }
  const medians = new Map<string, number>()
  for (const [kind, requests] of byKind) {
    const times: number[] = []
    for (const request of requests.slice(0, 15)) {
      times.push(await replay(request, token))
    }
    medians.set(kind, median(times))
  }
  return medians
}

async function accessToken(): Promise<string> {
  const res = await fetch(`${emulator.baseUrl}/accounts/${ACCOUNT}/auth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Basic ${Buffer.from("emulator-client-id:emulator-client-secret").toString("base64")}`,
    },
    body: JSON.stringify({ grant_type: "client_credentials", audience: `https://api.dintero.com/v1/accounts/${ACCOUNT}` }),
  })
  return ((await res.json()) as { access_token: string }).access_token
}

async function replay(request: LoggedRequest, token: string): Promise<number> {
  const url = new URL(`${emulator.url}${request.path}`)
  for (const [key, value] of Object.entries(request.query ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(one))
  }
  const isTokenRequest = request.path.endsWith("/auth/token")
  const started = performance.now()
  const res = await fetch(url, {
    method: request.method,
    headers: {
      "content-type": "application/json",
      authorization: isTokenRequest ? `Basic ${Buffer.from("emulator-client-id:emulator-client-secret").toString("base64")}` : `Bearer ${token}`,
      "dintero-feature-toggles": "strict-session-amounts",
    },
    body: request.body === undefined || request.method === "GET" ? undefined : JSON.stringify(request.body),
  })
  await res.arrayBuffer()
  return performance.now() - started
}

function dinteroTime(sample: Sample, trips: Map<string, number>): number {
  return sample.requests.reduce((sum, request) => sum + (trips.get(kindOf(request)) ?? 0), 0)
}

function describeRequests(samples: Sample[]): string {
  const counts = new Map<string, number>()
  for (const request of samples.flatMap((sample) => sample.requests)) counts.set(kindOf(request), (counts.get(kindOf(request)) ?? 0) + 1)
  return [...counts].map(([kind, count]) => `${kind} ×${(count / samples.length).toFixed(2)}`).join(", ") || "none"
}

function row(label: string, samples: Sample[]) {
  const ms = samples.map((sample) => sample.ms)
  return `${label.padEnd(34)} median ${median(ms).toFixed(1).padStart(6)} ms   p90 ${p90(ms).toFixed(1).padStart(6)} ms   SQL ${median(samples.map((s) => s.sql))}   Dintero requests ${(
    samples.reduce((sum, s) => sum + s.requests.length, 0) / samples.length
  ).toFixed(2)}`
}

function added(label: string, plugin: Sample[], floor: Sample[], trips: Map<string, number>) {
  const dintero = median(plugin.map((sample) => dinteroTime(sample, trips)))
  const extra = median(plugin.map((s) => s.ms)) - median(floor.map((s) => s.ms))
  return `${label.padEnd(34)} +${extra.toFixed(1)} ms over the floor, Dintero round trips ${dintero.toFixed(1)} ms → added by the plugin ${(extra - dintero).toFixed(1)} ms; ratio ${(
    median(plugin.map((s) => s.ms)) / median(floor.map((s) => s.ms))
  ).toFixed(2)}×; requests: ${describeRequests(plugin)}`
}

// ── The run ───────────────────────────────────────────────────────────────────────────────────────────

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    it(`times each checkout step with ${DINTERO} against ${SYSTEM} (${CARTS} carts each, a burst of ${BURST} callbacks)`, async () => {
      const admin = (await createAdminAndLogin(getContainer(), api)).http
      const seeded = await seedStore(admin)
      const store = storeClient(fromAxios(api), seeded.publishableKey)
      const backendUrl = process.env.MEDUSA_BACKEND_URL!
      const cart = () => prepareCart(store, { regionId: seeded.regionId, variantId: seeded.variantId, quantity: 2 })

      // Warm-up: one of each, not measured (first requests load code and fetch Dintero's token).
      for (const provider of [DINTERO, SYSTEM]) {
        const { cart: warm, paymentCollection } = await cart()
        const { paymentSession } = await initiatePaymentSession(store, paymentCollection.id, provider)
        if (provider === DINTERO) await control("POST", `/sessions/${paymentSession.data.dintero.session_id}/pay`, { card: "4111111111111111" })
        expect((await completeCart(store, warm.id)).data.type).toBe("order")
      }

      const initiate: Record<string, Sample[]> = { [DINTERO]: [], [SYSTEM]: [] }
      const complete: Record<string, Sample[]> = { [DINTERO]: [], [SYSTEM]: [] }
      const callback: Sample[] = []
      const orders = new Map<string, string>()

      const initiated = async (provider: string) => {
        const { cart: prepared, paymentCollection } = await cart()
        let session: any
        initiate[provider].push(
          await measured(async () => {
            session = (await initiatePaymentSession(store, paymentCollection.id, provider)).paymentSession
          })
        )
        return { cart: prepared, session }
      }
      const pay = async (session: any) => {
        const paid = await control("POST", `/sessions/${session.data.dintero.session_id}/pay`, { card: "4111111111111111" })
        return paid.transaction_id ?? paid.transactionId
      }
      const completed = async (provider: string, cartId: string) => {
        let response: any
        complete[provider].push(await measured(async () => void (response = await completeCart(store, cartId))))
        expect(response.status).toBe(200)
        expect(response.data.type).toBe("order")
        orders.set(cartId, response.data.order.id)
      }

      for (let i = 0; i < CARTS; i++) {
        // Interleaved, so that whatever the machine does meanwhile weighs on both alike.
        const dintero = await initiated(DINTERO)
        const system = await initiated(SYSTEM)
        await pay(dintero.session)
        await completed(DINTERO, dintero.cart.id)
        await completed(SYSTEM, system.cart.id)

        const byCallback = await initiated(DINTERO)
        const transactionId = await pay(byCallback.session)
        const signed = signedCallback(backendUrl, callbackQuery(transactionId, byCallback.session.data.dintero.session_id, byCallback.session.id))
        let response: any
        callback.push(await measured(async () => void (response = await fetch(`${backendUrl}${signed.path}`, { headers: signed.headers }))))
        expect(response.status).toBe(200)
        const body = await response.json()
        expect(body.order_id).toBeTruthy()
        orders.set(byCallback.cart.id, body.order_id)
      }

      // The burst: every cart paid first, then their callbacks, BURST_CONCURRENCY at a time.
      const paidCarts: Array<{ cartId: string; path: string; headers: Record<string, string> }> = []
      for (let i = 0; i < BURST; i++) {
        const { cart: prepared, paymentCollection } = await cart()
        const { paymentSession } = await initiatePaymentSession(store, paymentCollection.id, DINTERO)
        const transactionId = await pay(paymentSession)
        const signed = signedCallback(backendUrl, callbackQuery(transactionId, paymentSession.data.dintero.session_id, paymentSession.id))
        paidCarts.push({ cartId: prepared.id, ...signed })
      }
      const burstLog = await requestLogLength()
      const burstSql = sql.count()
      const cpu = process.cpuUsage()
      const burstStarted = performance.now()
      const queue = [...paidCarts]
      const statuses: number[] = []
      await Promise.all(
        Array.from({ length: BURST_CONCURRENCY }, async () => {
          for (let next = queue.shift(); next; next = queue.shift()) {
            const response = await fetch(`${backendUrl}${next.path}`, { headers: next.headers })
            statuses.push(response.status)
            const body = (await response.json()) as { order_id?: string }
            if (body.order_id) orders.set(next.cartId, body.order_id)
          }
        })
      )
      const burstMs = performance.now() - burstStarted
      const burstCpu = process.cpuUsage(cpu)
      const burstRequests = await requestsSince(burstLog)
      const burstStatements = sql.count() - burstSql

      // Correctness only: every cart has its one order, and no order is shared.
      expect(statuses.every((status) => status === 200)).toBe(true)
      const expectedCarts = CARTS * 3 + BURST
      expect(orders.size).toBe(expectedCarts)
      expect(new Set(orders.values()).size).toBe(expectedCarts)
      const { data: orderCarts } = await getContainer()
        .resolve("query")
        .graph({ entity: "order_cart", fields: ["cart_id", "order_id"], filters: { cart_id: [...orders.keys()] } })
      expect(orderCarts.length).toBe(expectedCarts)

      const trips = await roundTrips([...initiate[DINTERO], ...complete[DINTERO], ...callback])
      const load = require("node:os").loadavg().map((n: number) => n.toFixed(2)).join(" ")
      console.log(
        [
          `Checkout steps, ${CARTS} carts per provider, interleaved; emulator in its own process, latency 0; load ${load}`,
          `Dintero round trips (replayed, median): ${[...trips].map(([kind, ms]) => `${kind} ${ms.toFixed(1)} ms`).join("; ")}`,
          "",
          row("(a) initiate, pp_system_default", initiate[SYSTEM]),
          row("(a) initiate, Dintero", initiate[DINTERO]),
          added("    Dintero vs system", initiate[DINTERO], initiate[SYSTEM], trips),
          row("(b) complete, pp_system_default", complete[SYSTEM]),
          row("(b) complete, Dintero (return)", complete[DINTERO]),
          added("    Dintero vs system", complete[DINTERO], complete[SYSTEM], trips),
          row("(c) signed callback, Dintero", callback),
          added("    callback vs system completion", callback, complete[SYSTEM], trips),
          "",
          `Callback burst: ${BURST} paid carts, ${BURST_CONCURRENCY} at a time: ${burstMs.toFixed(0)} ms, ${(BURST / (burstMs / 1000)).toFixed(1)} callbacks/s, ` +
            `${((burstCpu.user + burstCpu.system) / 1000 / BURST).toFixed(0)} ms CPU per callback (Medusa's process), ` +
            `${(burstRequests.length / BURST).toFixed(2)} Dintero requests per callback (${describeRequests([{ ms: 0, sql: 0, requests: burstRequests }]).replace(/×[\d.]+/g, (m) => `×${(Number(m.slice(1)) / BURST).toFixed(2)}`)}), ` +
            `${(burstStatements / BURST).toFixed(0)} SQL statements per callback; ${orders.size} orders for ${expectedCarts} carts`,
        ].join("\n")
      )
    })
  },
})

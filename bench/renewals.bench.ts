/**
 * The renewal job at scale: a real Medusa (PostgreSQL) renews N due subscriptions (BENCH_SUBSCRIPTIONS, default
 * 10,000) against the Dintero emulator running in its own process (so its CPU does not share Medusa's event
 * loop), with a per-request latency standing in for the network to Dintero (BENCH_LATENCY_MS, default 100).
 * Each run is measured against its floor, the ideal wall time: the renewal's Dintero requests × latency ÷
 * concurrency (what the run would take if only Dintero's latency counted). Dintero's callback for each charge
 * (which the callback handler answers after reading the transaction) is delivered too, as in production; its
 * reads are counted apart, since they run beside the renewal slots. Printed per run: wall time and its ratio to the ideal,
 * Dintero requests per renewal, PostgreSQL round trips (queries sent) per renewal, Medusa's CPU per renewal,
 * and the process's peak RSS growth. A short sequential profile splits the CPU of one renewal by step.
 * Asserts only that each subscription was charged exactly once.
 *
 *   npm run bench:renewals
 *   BENCH_SUBSCRIPTIONS=2000 BENCH_CONCURRENCY=8,32 BENCH_BATCH_SIZE=100 npm run bench:renewals
 *
 * The subscriptions are seeded in bulk through the subscription module (one customer with a saved card, copies
 * of one admin-created subscription), not through N HTTP calls.
 */
import "../integration-tests/helpers/env"
import { randomBytes } from "node:crypto"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { subscriptionFixtures } from "../integration-tests/helpers/subscriptions-fixtures"
import { SUBSCRIPTION_MODULE, type SubscriptionModuleService } from "../src/modules/subscription"
import { renewDueSubscriptions } from "../src/workflows/subscriptions"
import { renewSubscriptionPeriodWorkflow } from "../src/workflows/subscriptions/renew-subscription-period"
import { freePort } from "../scripts/demo/ports"
import { countSqlStatements, startEmulatorProcess, type EmulatorProcess } from "./emulator-process"

jest.setTimeout(6 * 60 * 60_000)
process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
process.env.DINTERO_RECONCILIATION_JOB = "off"

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 10_000)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100)
/** Concurrencies measured, in order: the default's and a high one unless told otherwise. */
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? "default,32").split(",").map((value) => value.trim())
const BATCH_SIZE = process.env.BENCH_BATCH_SIZE ? Number(process.env.BENCH_BATCH_SIZE) : undefined
const PROFILE_RENEWALS = Number(process.env.BENCH_PROFILE_RENEWALS ?? 40)

/** The emulator in a child process, driven through its control API (/__emulator). */
let emulator: EmulatorProcess

beforeAll(async () => {
  emulator = await startEmulatorProcess(["--callback-delay-scale", "0.01"])
  const backend = await freePort()
  Object.assign(process.env, {
    PORT: String(backend),
    MEDUSA_BACKEND_URL: `http://localhost:${backend}`,
    DINTERO_API_BASE_URL: emulator.baseUrl,
    DINTERO_CHECKOUT_BASE_URL: emulator.baseUrl,
    DINTERO_CALLBACK_SECRET: "",
    DINTERO_AUTO_CAPTURE: "false",
    DINTERO_SAVE_CARDS: "subscriptions",
    DINTERO_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  })
})

afterAll(() => {
  emulator?.stop()
})

const queries = countSqlStatements()

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fixtures = subscriptionFixtures(api, getContainer, {
      emulator: { pay: (sessionId: string, options: unknown) => emulator.control("POST", `sessions/${sessionId}/pay`, options) } as any,
    })

    it(`renews ${SUBSCRIPTIONS} due subscriptions at Dintero latency ${LATENCY_MS} ms`, async () => {
      const container = getContainer()
      const service = container.resolve(SUBSCRIPTION_MODULE) as SubscriptionModuleService
      const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
      const defaults = service.getOptions()
      const customer = await fixtures.customerWithCard("bench@example.com")
      const template = await fixtures.adminSubscription(customer, { starts_at: new Date(Date.now() - 86_400_000).toISOString() })
      const [record] = await service.listSubscriptions({ id: template.id })
      const { id: _id, created_at: _c, updated_at: _u, deleted_at: _d, charges: _charges, ...copy } = record as Record<string, any>
      await service.deleteSubscriptions([template.id])

      /** N due subscriptions, inserted in chunks through the module service. */
      const seed = async (count: number): Promise<string[]> => {
        const started = performance.now()
        const ids: string[] = []
        for (let done = 0; done < count; done += 1000) {
          const created = await service.createSubscriptions(Array.from({ length: Math.min(1000, count - done) }, () => ({ ...copy })) as any)
          ids.push(...created.map((row: any) => row.id))
        }
        logger.info(`seeded ${count} subscriptions in ${((performance.now() - started) / 1000).toFixed(1)} s`)
        return ids
      }
      /** Dintero API requests so far (not the access token), by kind: the renewal's own, and the callbacks' reads. */
      const requestsSoFar = async () => {
        const requests = (await emulator.control<Array<{ method: string; path: string; query?: Record<string, unknown> }>>("GET", "requests")).filter(
          (request) => request.path.startsWith("/v1/") && !request.path.includes("/auth/")
        )
        // GET /v1/transactions/:id is the callback handler reading the transaction Dintero's callback names (the
        // renewal itself reads nothing back); GET /v1/transactions?merchant_reference= is the renewal's look-up.
        const callbackReads = requests.filter((request) => request.method === "GET" && /^\/v1\/transactions\/[^/]+$/.test(request.path)).length
        return { renewal: requests.length - callbackReads, callbackReads }
      }
      const chargesByReference = async () => {
        const counts = new Map<string, number>()
        for (const charge of await emulator.control<Array<{ merchantReference: string; success: boolean }>>("GET", "charges")) {
          const subscription = charge.merchantReference.split(":")[0]
          counts.set(subscription, (counts.get(subscription) ?? 0) + 1)
        }
        return counts
      }

      // A short sequential profile, no latency: the CPU of one renewal, step by step (what is Medusa's is named).
      // Dintero's callbacks for these charges are held until it is over, so that only the renewals are counted.
      await emulator.control("POST", "latency", { ms: 0 })
      await emulator.control("POST", "callbacks/hold", { enabled: true })
      const sample = await seed(PROFILE_RENEWALS)
      const stepCpu = new Map<string, number>()
      const profileQueries = queries.count()
      const profileCpu = process.cpuUsage()
      for (const id of sample) {
        let mark = process.cpuUsage()
        await renewSubscriptionPeriodWorkflow(container).run({
          input: { subscription_id: id, now: new Date().toISOString() },
          events: {
            onStepBegin: () => {
              mark = process.cpuUsage()
            },
            onStepSuccess: ({ step }: any) => {
              const used = process.cpuUsage(mark)
              const name = step?.definition?.action ?? "?"
              stepCpu.set(name, (stepCpu.get(name) ?? 0) + (used.user + used.system) / 1000)
            },
          },
        })
      }
      const profileTotal = process.cpuUsage(profileCpu)
      const profileSql = queries.count() - profileQueries
      await emulator.control("POST", "callbacks/hold", { enabled: false })
      const profile = {
        cpuMs: (profileTotal.user + profileTotal.system) / 1000 / sample.length,
        queries: profileSql / sample.length,
        steps: [...stepCpu.entries()].sort((a, b) => b[1] - a[1]).map(([step, ms]) => `${step} ${(ms / sample.length).toFixed(1)} ms`),
      }

      await emulator.control("POST", "latency", { ms: LATENCY_MS })
      const results: string[] = []
      for (const setting of SUBSCRIPTIONS ? CONCURRENCIES : []) {
        const concurrency = setting === "default" ? defaults.concurrency : Number(setting)
        const batchSize = BATCH_SIZE ?? defaults.batchSize
        const ids = await seed(SUBSCRIPTIONS)
        global.gc?.()
        const rssBefore = process.memoryUsage().rss
        let peakRss = rssBefore
        const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250)
        const requestsBefore = await requestsSoFar()
        const queriesBefore = queries.count()
        const cpuBefore = process.cpuUsage()
        const started = performance.now()
        const summary = await renewDueSubscriptions(container, { now: new Date(), concurrency, batchSize })
        const wall = performance.now() - started
        const cpu = process.cpuUsage(cpuBefore)
        clearInterval(sampler)
        const requestsAfter = await requestsSoFar()
        const requests = requestsAfter.renewal - requestsBefore.renewal
        const callbackReads = requestsAfter.callbackReads - requestsBefore.callbackReads
        const sql = queries.count() - queriesBefore
        const charged = await chargesByReference()
        expect(ids.filter((id) => charged.get(id) !== 1)).toEqual([])
        expect(summary.renewed).toBe(ids.length)
        const ideal = (requests * LATENCY_MS) / concurrency
        results.push(
          [
            `  concurrency ${concurrency}${setting === "default" ? " (default)" : ""}, batch size ${batchSize}:`,
            `    wall ${(wall / 1000).toFixed(1)} s, ideal ${(ideal / 1000).toFixed(1)} s → ${(wall / ideal).toFixed(2)}× the ideal`,
            `    ${(requests / ids.length).toFixed(2)} Dintero requests per renewal by the renewal (+ ${(callbackReads / ids.length).toFixed(2)} by the handler of ` +
              `Dintero's callback for the charge, in parallel), ${(sql / ids.length).toFixed(1)} PostgreSQL round trips, ` +
              `${((cpu.user + cpu.system) / 1000 / ids.length).toFixed(0)} ms of Medusa's CPU per renewal; ` +
              `${(ids.length / (wall / 1000)).toFixed(1)} renewals/s`,
            `    peak RSS growth ${((peakRss - rssBefore) / 2 ** 20).toFixed(0)} MB (RSS ${(rssBefore / 2 ** 20).toFixed(0)} → peak ${(peakRss / 2 ** 20).toFixed(0)} MB)`,
          ].join("\n")
        )
        console.log(results.at(-1))
      }
      console.log(
        [
          `${SUBSCRIPTIONS} due subscriptions renewed (charge + order each), Dintero emulator in its own process, latency ${LATENCY_MS} ms`,
          ...results,
          `  one renewal, sequential, no latency, callbacks held (${sample.length} renewals): ${profile.cpuMs.toFixed(0)} ms CPU, ${profile.queries.toFixed(0)} PostgreSQL round trips`,
          `    CPU by step: ${profile.steps.join(", ")}`,
        ].join("\n")
      )
    })
  },
})

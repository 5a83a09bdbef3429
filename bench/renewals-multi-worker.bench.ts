/**
 * Renewals across worker processes: does the renewal work scale with Medusa processes in the production
 * layout (README "Running in production (several processes)": Redis event bus, workflow engine and locks)?
 * One database, the Dintero emulator, and two sets of N due subscriptions: the first renewed by one process
 * alone, the second by two processes at once (this one and integration-tests/multi-process/second-medusa.ts),
 * each running the renewal job's work over all of it. Prints both timings and their ratio, measured in this
 * one run; asserts only that every period was charged exactly once, with one order.
 *
 *   TEST_TYPE=bench NODE_OPTIONS=--experimental-vm-modules npx jest --runInBand --forceExit bench/renewals-multi-worker.bench.ts
 *   (BENCH_SUBSCRIPTIONS=10000 for the scale; default 200)
 */
import "../integration-tests/helpers/env"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../integration-tests/helpers/dintero-store"
import { subscriptionFixtures } from "../integration-tests/helpers/subscriptions-fixtures"
import { renewUntilNothingDue } from "../integration-tests/crash/renew-in-child"
import { clearRedisNamespace, copySubscriptions, startSecondMedusa, useRedisLayout, type SecondMedusa } from "../integration-tests/multi-process/harness"

jest.setTimeout(4 * 60 * 60_000)

const layout = useRedisLayout()
const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 200)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40)
const dintero = useDinteroEmulator({ callbackSecret: null })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)
    let second: SecondMedusa | undefined
    afterAll(async () => {
      await second?.stop()
      await clearRedisNamespace(layout.redisUrl, layout.namespace)
    })

    it(`renews ${SUBSCRIPTIONS} due subscriptions with one Medusa process, then ${SUBSCRIPTIONS} more with two`, async () => {
      second = await startSecondMedusa(dbConfig.clientUrl, { MEDUSA_WORKER_MODE: "worker" })
      const customer = await fx.customerWithCard("bench-workers@example.com")
      // Two sets a day apart: when the second is due, the first (renewed monthly) is not due again.
      const sets = [
        { startsAt: "2027-07-01T06:00:00.000Z", now: "2027-07-01T07:00:00.000Z" },
        { startsAt: "2027-07-02T06:00:00.000Z", now: "2027-07-02T07:00:00.000Z" },
      ]
      const ids: string[][] = []
      for (const set of sets) {
        const first = await fx.adminSubscription(customer, { starts_at: set.startsAt })
        ids.push([first.id, ...(await copySubscriptions(getContainer(), first.id, SUBSCRIPTIONS - 1))])
      }
      await second.waitFor(/READY \d+/)
      dintero.emulator.setLatency(LATENCY_MS)

      let started = performance.now()
      const alone = await renewUntilNothingDue(getContainer(), sets[0].now)
      const oneProcess = performance.now() - started

      started = performance.now()
      const mark = second.send(`renew ${sets[1].now}`)
      const [here, there] = await Promise.all([
        renewUntilNothingDue(getContainer(), sets[1].now),
        second.waitFor(/SUMMARY (.*)/, mark).then((found) => JSON.parse(found[1])),
      ])
      const twoProcesses = performance.now() - started

      // Each period charged once, with one order, whichever process renewed it.
      const { data: orders } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "order", fields: ["id", "metadata"], pagination: { take: 3 * SUBSCRIPTIONS } })
      const ordersBySubscription = new Map<string, number>()
      for (const order of orders) {
        const id = (order.metadata as any)?.subscription_id
        if (id) ordersBySubscription.set(id, (ordersBySubscription.get(id) ?? 0) + 1)
      }
      const wrong = ids.flat().filter((id) => fx.chargesFor(id).filter((charge) => charge.success).length !== 1 || ordersBySubscription.get(id) !== 1)
      expect(wrong).toEqual([])
      expect(alone.errors + here.errors + there.errors).toBe(0)

      console.log(
        [
          `Renewals across worker processes (${layout.locking} locking, Redis event bus and workflow engine): ${SUBSCRIPTIONS} due subscriptions per run, Dintero latency ${LATENCY_MS} ms`,
          `  one process:    ${oneProcess.toFixed(0)} ms (${(SUBSCRIPTIONS / (oneProcess / 1000)).toFixed(1)} renewals/s) ${JSON.stringify(alone)}`,
          `  two processes:  ${twoProcesses.toFixed(0)} ms (${(SUBSCRIPTIONS / (twoProcesses / 1000)).toFixed(1)} renewals/s) here ${JSON.stringify(here)}, there ${JSON.stringify(there)}`,
          `  ratio: ${(oneProcess / twoProcesses).toFixed(2)}× the throughput with two processes`,
        ].join("\n")
      )
    })
  },
})

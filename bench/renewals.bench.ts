/**
 * What bounded concurrency buys the renewal job at scale. A real Medusa (PostgreSQL) renews N due
 * subscriptions against the Dintero emulator with a per-request latency standing in for the network to
 * Dintero, once one at a time and once with the default concurrency, and prints both timings and their
 * ratio, measured in this one run. Asserts only that every subscription was charged exactly once.
 *
 *   npm run bench:renewals            (BENCH_SUBSCRIPTIONS, BENCH_LATENCY_MS to change the load)
 */
import "../integration-tests/helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../integration-tests/helpers/dintero-store"
import { subscriptionFixtures } from "../integration-tests/helpers/subscriptions-fixtures"

jest.setTimeout(15 * 60_000)
process.env.SUBSCRIPTION_RENEWAL_JOB = "off"

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 40)
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 40)
const CONCURRENCY = 4

const dintero = useDinteroEmulator({ callbackSecret: null })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const fixtures = subscriptionFixtures(api, getContainer, dintero)

    it(`renews ${SUBSCRIPTIONS} due subscriptions one at a time and ${CONCURRENCY} at a time`, async () => {
      const customer = await fixtures.customerWithCard("bench@example.com")
      const startsAt = new Date(Date.now() - 60_000).toISOString()
      dintero.emulator.setLatency(LATENCY_MS)

      const timed = async (concurrency: number) => {
        const ids: string[] = []
        for (let i = 0; i < SUBSCRIPTIONS; i++) {
          ids.push((await fixtures.adminSubscription(customer, { starts_at: startsAt })).id)
        }
        const started = performance.now()
        await fixtures.renew(new Date(), { concurrency })
        const elapsed = performance.now() - started
        const charged = ids.map((id) => fixtures.chargesFor(id).length)
        expect(charged.every((count) => count === 1)).toBe(true)
        return elapsed
      }

      const sequential = await timed(1)
      const concurrent = await timed(CONCURRENCY)
      console.log(
        [
          `${SUBSCRIPTIONS} renewals (charge + order each), Dintero latency ${LATENCY_MS} ms per request`,
          `  one at a time:        ${sequential.toFixed(0)} ms (${(sequential / SUBSCRIPTIONS).toFixed(0)} ms per renewal)`,
          `  ${CONCURRENCY} at a time:          ${concurrent.toFixed(0)} ms (${(concurrent / SUBSCRIPTIONS).toFixed(0)} ms per renewal)`,
          `  ratio: ${(sequential / concurrent).toFixed(2)}× faster with concurrency ${CONCURRENCY}`,
        ].join("\n")
      )
    })
  },
})

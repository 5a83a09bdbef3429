import "../helpers/env"
import Redis from "ioredis"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { CALLBACK_SECRET, useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID } from "../helpers/dintero-checkout"
import { callbackQuery, signedCallback } from "../helpers/dintero-callbacks"
import { subscriptionFixtures } from "../helpers/subscriptions-fixtures"
import { renewUntilNothingDue } from "../crash/renew-in-child"
import { copySubscriptions, countBy, startSecondMedusa, useRedisLayout, type SecondMedusa } from "../multi-process/harness"
import {
  NORWEGIAN_ADDRESS,
  addShippingMethod,
  createCart,
  createPaymentCollection,
  initiatePaymentSession,
  listShippingOptions,
  storeClient,
} from "../../scripts/lib/store-checkout"
import { fetchHttp, type StoreHttp } from "../../scripts/lib/http"

jest.setTimeout(20 * 60_000)

/**
 * Two Medusa processes on one database in the production layout (README "Running in production (several
 * processes)"): the event bus, the workflow engine and the locks on Redis. This process boots through the test
 * runner in `shared` mode; the other (integration-tests/multi-process/second-medusa.ts) is a `server` behind the
 * same public URL, as a load balancer would put them. MEDUSA_LOCKING=memory runs the same spec on Medusa's
 * default in-memory locks.
 */
const layout = useRedisLayout()
const SUBSCRIPTIONS = Number(process.env.MULTI_PROCESS_SUBSCRIPTIONS ?? 100)
const CARTS = Number(process.env.MULTI_PROCESS_CARTS ?? 50)
const progress = (what: string) => process.env.MULTI_PROCESS_PROGRESS && process.stderr.write(`[multi-process ${new Date().toISOString()}] ${what}\n`)
const dintero = useDinteroEmulator({ callbackSecret: CALLBACK_SECRET })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)
    const redis = new Redis(layout.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    let second: SecondMedusa | undefined

    afterAll(async () => {
      await second?.stop()
      // This run's queues and locks only.
      const keys = await redis.keys(`${layout.namespace}:*`)
      for (let i = 0; i < keys.length; i += 500) {
        await redis.del(...keys.slice(i, i + 500))
      }
      redis.disconnect()
    })

    /** `count` due subscriptions of one customer: one made by the admin API, the rest copied through the module service. */
    async function dueSubscriptions(count: number, startsAt: string) {
      const customer = await fx.customerWithCard("multi@example.com")
      const first = await fx.adminSubscription(customer, { starts_at: startsAt })
      return [first.id as string, ...(await copySubscriptions(getContainer(), first.id, count - 1))]
    }

    /**
     * Guest carts paid on Dintero's page, Dintero's own callbacks held back (the test delivers them), prepared
     * through the Store API of both processes at once (each process is a core's worth of work).
     */
    async function paidCarts(count: number, stores: StoreHttp[]) {
      dintero.emulator.holdCallbacks(true)
      const carts: Array<{ cartId: string; transactionId: string; query: Record<string, string> }> = []
      let shippingOptionId: string | undefined
      const make = async (n: number) => {
        const store = stores[n % stores.length]
        // One guest per cart (Medusa creates the guest customer of an email once: two at once collide), the
        // address given with the cart and the store's one shipping option looked up once: fewer workflows.
        const cart = await createCart(store, {
          regionId: fx.ctx.seeded.regionId,
          email: `guest-${n}@example.com`,
          items: [{ variant_id: fx.ctx.seeded.variantId, quantity: 1 }],
          shippingAddress: NORWEGIAN_ADDRESS,
        })
        shippingOptionId ??= (await listShippingOptions(store, cart.id))[0].id
        await addShippingMethod(store, cart.id, shippingOptionId)
        const paymentCollection = await createPaymentCollection(store, cart.id)
        const { paymentSession } = await initiatePaymentSession(store, paymentCollection.id, DINTERO_PROVIDER_ID)
        const dinteroSessionId = paymentSession.data.dintero.session_id as string
        const paid = await dintero.emulator.pay(dinteroSessionId, { card: "4111111111111111" })
        carts.push({ cartId: cart.id, transactionId: paid.transactionId!, query: callbackQuery(paid.transactionId!, dinteroSessionId, paymentSession.id) })
      }
      let next = 0
      const lane = async () => {
        while (next < count) {
          await make(next++)
        }
      }
      await Promise.all(Array.from({ length: 6 }, lane))
      return carts
    }

    it(`two Medusa processes renewing ${SUBSCRIPTIONS} due subscriptions and taking duplicate callbacks for ${CARTS} paid carts at the same moment make one charge and one order per period and per cart`, async () => {
      const started = Date.now()
      second = await startSecondMedusa(dbConfig.clientUrl, { MEDUSA_WORKER_MODE: "server" })
      const secondUrl = second.url

      const startsAt = "2027-07-01T06:00:00.000Z"
      const now = "2027-07-01T07:00:00.000Z"
      const subscriptionIds = await dueSubscriptions(SUBSCRIPTIONS, startsAt)
      progress("subscriptions seeded")
      await second.waitFor(/READY \d+/)
      const booted = Date.now()
      progress("second process ready")
      const carts = await paidCarts(CARTS, [fx.ctx.store, storeClient(fetchHttp(secondUrl), fx.ctx.seeded.publishableKey)])
      const prepared = Date.now()
      progress("carts paid")

      // Both processes at once: the renewal job's work on each, and each cart's callback delivered to both.
      const deliver = (base: string, cart: (typeof carts)[number]) => {
        const callback = signedCallback(dintero.backendUrl, cart.query)
        return fetch(`${base}${callback.path}`, { headers: callback.headers }).then((response) => response.status)
      }
      const bases = [dintero.backendUrl, secondUrl]
      const mark = second.send(`renew ${now}`)
      const [own, delivered] = await Promise.all([
        renewUntilNothingDue(getContainer(), now),
        // Ten carts at a time, each cart's two deliveries at the same moment: what a busy Dintero sends, without
        // queueing a hundred requests on two cores so long that every duplicate times out on its twin's lock.
        inLanes(carts, 10, (cart) => Promise.all(bases.map((base) => deliver(base, cart)))).then((pairs) => pairs.flat()),
      ])
      progress(`here: renewals done, callbacks ${JSON.stringify(countBy(delivered))}`)
      const theirs = JSON.parse((await second.waitFor(/SUMMARY (.*)/, mark))[1])
      progress("there: renewals done")
      // A delivery that waited too long for the other one's lock is answered 503, and Dintero delivers it
      // again later (docs /docs/checkout/after-payment): here once more, to either process.
      const retried = await Promise.all(carts.map((cart, n) => deliver(bases[n % 2], cart)))
      const raced = Date.now()
      const seconds = (from: number, to: number) => `${((to - from) / 1000).toFixed(0)} s`
      console.info(
        `multi-process (${layout.locking} locking): renewals here ${JSON.stringify(own)}, there ${JSON.stringify(theirs)}; ` +
          `callbacks ${JSON.stringify(countBy(delivered))}, retried ${JSON.stringify(countBy(retried))}; ` +
          `second process and subscriptions ready in ${seconds(started, booted)}, carts ${seconds(booted, prepared)}, race ${seconds(prepared, raced)}`
      )

      // The layout really is Redis: this process's locks and both processes' queues live under the run's prefix.
      const locking = getContainer().resolve(Modules.LOCKING)
      const lockKeys = await locking.execute("multi-process-probe", () => redis.keys(`${layout.namespace}:lock:*`))
      expect(lockKeys.includes(`${layout.namespace}:lock:multi-process-probe`)).toBe(layout.locking === "redis")
      const queueKeys = await redis.keys(`${layout.namespace}:*`)
      expect(queueKeys.some((key) => key.startsWith(`${layout.namespace}:events-queue:`))).toBe(true)
      expect(queueKeys.some((key) => key.startsWith(`${layout.namespace}:medusa-workflows`))).toBe(true)
      // The server process warns at startup exactly when its locks are in memory.
      expect(/keeps its locks in memory/.test(second.output())).toBe(layout.locking === "memory")

      // The books, at Dintero and in Medusa, compared at once so that a failure shows every discrepancy.
      const { data: orders } = await getContainer()
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "order", fields: ["id", "metadata", "cart.id"], pagination: { take: 1000 } })
      const ordersBy = (key: (order: any) => string | undefined) => countBy(orders.map(key).filter((value): value is string => !!value))
      const subscriptionOrders = ordersBy((order) => order.metadata?.subscription_id)
      const cartOrders = ordersBy((order) => order.cart?.id)
      const payments = await getContainer().resolve(Modules.PAYMENT).listPayments({}, { select: ["id", "data", "canceled_at"], take: 1000 })
      const livePayments = countBy(payments.filter((p: any) => !p.canceled_at).map((p: any) => String(p.data?.dintero?.transaction_id ?? p.data?.transaction_id)))
      const transactionIds = [...carts.map((cart) => cart.transactionId), ...subscriptionIds.flatMap((id) => fx.chargesFor(id).map((charge) => charge.transactionId))]
      const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id) as any
      expect({
        // Renewals: nothing failed, each period renewed once, by one process or the other.
        renewalErrors: own.errors + theirs.errors,
        renewed: own.renewed + theirs.renewed,
        // One successful Dintero charge and one order per subscription period.
        periodsNotChargedOnce: subscriptionIds
          .map((id) => ({ id, charges: fx.chargesFor(id).map((charge) => `${charge.merchantReference}:${charge.success}`), orders: subscriptionOrders[id] ?? 0 }))
          .filter(({ id, charges, orders }) => charges.join() !== `${id}:2027-07-01:true` || orders !== 1),
        // Callbacks: each answered 200, or 503 for Dintero to retry, and the retry 200; one order per cart,
        // Dintero's authorization never voided.
        callbacksNeither200Nor503: delivered.filter((status) => status !== 200 && status !== 503),
        retriesNot200: retried.filter((status) => status !== 200),
        cartsNotOrderedOnce: carts
          .map((cart) => ({ cart: cart.cartId, orders: cartOrders[cart.cartId] ?? 0, status: transaction(cart.transactionId).status, voids: transaction(cart.transactionId).events.filter((e: any) => e.event === "VOID").length }))
          .filter(({ orders, status, voids }) => orders !== 1 || status !== "AUTHORIZED" || voids !== 0),
        // The card's first checkout, the carts, the renewals; nothing else.
        orders: orders.length,
        // Medusa's books: each Dintero transaction recorded by exactly one live Payment.
        transactionsNotRecordedOnce: transactionIds.filter((id) => livePayments[id] !== 1).map((id) => `${id}: ${livePayments[id] ?? 0} payments`),
      }).toEqual({
        renewalErrors: 0,
        renewed: SUBSCRIPTIONS,
        periodsNotChargedOnce: [],
        callbacksNeither200Nor503: [],
        retriesNot200: [],
        cartsNotOrderedOnce: [],
        orders: 1 + CARTS + SUBSCRIPTIONS,
        transactionsNotRecordedOnce: [],
      })
    })
  },
})

/** `work` over `items`, at most `lanes` at a time; results in the items' order. */
async function inLanes<T, R>(items: T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane))
  return results
}

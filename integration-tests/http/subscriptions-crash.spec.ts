import "../helpers/env"
import { spawn } from "node:child_process"
import path from "node:path"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { daysAfter, subscriptionFixtures } from "../helpers/subscriptions-fixtures"
import { renewUntilNothingDue } from "../crash/renew-in-child"

jest.setTimeout(600_000)

process.env.SUBSCRIPTION_RENEWAL_JOB = "off"
const dintero = useDinteroEmulator({ callbackSecret: null })

const ROOT = path.resolve(__dirname, "../..")
const CHILD_SCRIPT = "integration-tests/crash/renew-in-child.ts"

type Child = { code: number | null; signal: NodeJS.Signals | null; output: string }

/**
 * Another Medusa process on the spec's database and emulator (`medusa exec`, which boots the app without
 * its HTTP server): what a second server, or the same server after a restart, is.
 */
function medusaChild(
  databaseUrl: string,
  args: string[],
  onOutput?: (output: string, child: ReturnType<typeof spawn>) => void,
  onSpawn?: (child: ReturnType<typeof spawn>) => void
): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/medusa"), ["exec", CHILD_SCRIPT, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn", MEDUSA_ADMIN_DISABLE: "true", NODE_ENV: "test" },
      stdio: ["pipe", "pipe", "pipe"],
    })
    let output = ""
    const collect = (chunk: Buffer) => {
      output += chunk.toString()
      onOutput?.(output, child)
    }
    child.stdout.on("data", collect)
    child.stderr.on("data", collect)
    onSpawn?.(child)
    child.on("error", reject)
    child.on("exit", (code, signal) => resolve({ code, signal, output }))
  })
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConfig }) => {
    const fx = subscriptionFixtures(api, getContainer, dintero)

    /** Every order in the database that a subscription charge created, linked or not, per subscription. */
    async function ordersBySubscription(): Promise<Map<string, string[]>> {
      const orders = await getContainer().resolve(Modules.ORDER).listOrders({}, { select: ["id", "metadata"], take: 1000 })
      const bySubscription = new Map<string, string[]>()
      for (const order of orders) {
        const id = (order.metadata as any)?.subscription_id
        if (id) {
          bySubscription.set(id, [...(bySubscription.get(id) ?? []), order.id])
        }
      }
      return bySubscription
    }

    it("a renewal killed (SIGKILL) at any step boundary, or after Dintero charged and before its answer arrived, then run again, makes one Dintero charge and one order for the period", async () => {
      const boundaries = [
        "open-subscription-charge",
        "charge-subscription-saved-card",
        "settle-subscription-renewal",
        "order-created",
        "order-workflow-done",
        "create-subscription-order",
        "advance-subscription-period",
      ]
      const eva = await fx.customerWithCard("eva@example.com")
      const start = "2027-05-01T06:00:00.000Z"
      const subscriptions = await Promise.all(boundaries.map(() => fx.adminSubscription(eva, { starts_at: start })))

      // Killed inside the charge: Dintero has charged the card, its answer has not reached the process (the
      // emulator holds it). The attempt is written down as pending, its outcome unknown.
      const unanswered = await fx.adminSubscription(eva, { starts_at: start })
      dintero.emulator.injectFault({ kind: "timeout", phase: "after", match: { method: "POST", path: "/^\\/v1\\/sessions\\/pay$/" } })
      const killedMidCharge = await medusaChild(dbConfig.clientUrl, ["kill", unanswered.id, start, "never"], undefined, (child) => {
        const poll = setInterval(() => {
          if (fx.chargesFor(unanswered.id).length) {
            clearInterval(poll)
            child.kill("SIGKILL")
          }
        }, 50)
        child.on("exit", () => clearInterval(poll))
      })
      expect({ signal: killedMidCharge.signal, charges: fx.chargesFor(unanswered.id).length }).toEqual({ signal: "SIGKILL", charges: 1 })
      // The dead process's payment session stays `pending`; one younger than two minutes is taken for another
      // process charging right now (charge-saved-card.ts). The restart is taken to come later than that.
      await getContainer()
        .resolve(ContainerRegistrationKeys.PG_CONNECTION)
        .raw(`update payment_session set created_at = created_at - interval '5 minutes' where data -> 'merchant_initiated' ->> 'merchant_reference' like ?`, [`${unanswered.id}:%`])

      const started = Date.now()
      const outputs: string[] = []
      for (const [index, boundary] of boundaries.entries()) {
        const child = await medusaChild(dbConfig.clientUrl, ["kill", subscriptions[index].id, start, boundary])
        outputs.push(child.output)
        expect({ boundary, signal: child.signal, killedAt: /KILLED AT (\S+)/.exec(child.output)?.[1] ?? child.output.slice(-2000) }).toEqual({
          boundary,
          signal: "SIGKILL",
          killedAt: boundary,
        })
      }
      const childSeconds = (Date.now() - started) / 1000
      // `medusa exec` runs as a server process (workerMode "server") on in-memory locking: it says so at startup.
      expect(outputs[0]).toMatch(/workerMode is .{1,3}server.{1,3} but the Locking module keeps its locks in memory/)

      // After the restart, the job runs again (twice, as a scheduler would) and finishes every renewal.
      await fx.renew(start)
      await fx.renew(start)
      const orders = await ordersBySubscription()
      // The charge whose answer never came is found at Dintero by its merchant_reference and adopted: one charge,
      // one order, and Dintero was asked to pay once.
      const pays = dintero.emulator.requests().filter((request: any) => request.path === "/v1/sessions/pay" && request.body?.session?.order?.merchant_reference?.startsWith(`${unanswered.id}:`))
      expect({ pays: pays.length, charges: fx.chargesFor(unanswered.id).length, orders: orders.get(unanswered.id)?.length ?? 0 }).toEqual({ pays: 1, charges: 1, orders: 1 })
      expect((await fx.getSubscription(unanswered.id)).charges).toEqual([
        expect.objectContaining({ status: "succeeded", attempt: 1, transaction_id: fx.chargesFor(unanswered.id)[0].transactionId }),
      ])
      for (const [index, boundary] of boundaries.entries()) {
        const { id } = subscriptions[index]
        const charges = fx.chargesFor(id)
        const current = await fx.getSubscription(id)
        expect({ boundary, dinteroCharges: charges.length, success: charges[0]?.success, orders: orders.get(id)?.length ?? 0 }).toEqual({
          boundary,
          dinteroCharges: 1,
          success: true,
          orders: 1,
        })
        expect(current).toMatchObject({ status: "active", current_period_start: start, next_charge_at: current.current_period_end })
        expect(current.charges).toEqual([expect.objectContaining({ status: "succeeded", order_id: orders.get(id)![0], transaction_id: charges[0].transactionId })])
        expect(current.orders.map((order: any) => order.id)).toEqual(orders.get(id))
      }
      console.info(`crash spec: ${boundaries.length} killed children in ${childSeconds.toFixed(0)} s`)
    })

    it("two Medusa processes renewing the same due subscriptions at once, on in-memory locks, make one charge and one order per period", async () => {
      const liv = await fx.customerWithCard("liv@example.com")
      const start = "2027-06-01T06:00:00.000Z"
      const subscriptions = await Promise.all([1, 2, 3, 4, 5, 6].map(() => fx.adminSubscription(liv, { starts_at: start, interval: "day" })))
      const now = daysAfter(start, 3.5) // four periods due for each

      let go: () => void = () => undefined
      const ready = new Promise<void>((resolve) => (go = resolve))
      const child = medusaChild(dbConfig.clientUrl, ["race", now], (output, process) => {
        if (output.includes("READY") && !(process as any).released) {
          ;(process as any).released = true
          process.stdin!.write("go\n")
          go()
        }
      })
      await ready
      const [own, other] = await Promise.all([renewUntilNothingDue(getContainer(), now), child])
      expect(other.code).toBe(0)
      const theirs = JSON.parse(/SUMMARY (.*)/.exec(other.output)![1])
      console.info(`race: this process ${JSON.stringify(own)}, the other ${JSON.stringify(theirs)}`)

      const orders = await ordersBySubscription()
      for (const subscription of subscriptions) {
        const successful = fx.chargesFor(subscription.id).filter((charge) => charge.success)
        expect(successful.map((charge) => charge.merchantReference.split(":")[1])).toEqual(["2027-06-01", "2027-06-02", "2027-06-03", "2027-06-04"])
        expect(orders.get(subscription.id)).toHaveLength(4)
        const current = await fx.getSubscription(subscription.id)
        expect(current.orders).toHaveLength(4)
        expect(current).toMatchObject({ status: "active", current_period_start: "2027-06-04T06:00:00.000Z" })
      }
    })
  },
})

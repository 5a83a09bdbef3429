import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { renewDueSubscriptions } from "../../src/workflows/subscriptions"
import { renewSubscriptionPeriodWorkflow } from "../../src/workflows/subscriptions/renew-subscription-period"

/**
 * Run in a separate Medusa process by the crash spec (`medusa exec`), against the spec's database and
 * emulator. Test-side only: production code has no hooks for this.
 *
 *   kill <subscription id> <now> <boundary>   renews one period and SIGKILLs this process right after
 *                                             <boundary>: a step of renew-subscription-period (its id),
 *                                             "order-created" (inside createOrderWorkflow, once the order
 *                                             row exists) or "order-workflow-done" (createOrderWorkflow
 *                                             returned, before the order is linked or recorded).
 *   race <now>                                prints READY once booted, waits for a line on stdin, then runs
 *                                             renewDueSubscriptions, overlapping the spec's own run.
 */
/**
 * Renewal runs back to back until one finds nothing due, as a scheduler on a busy store would: each run
 * comes back to subscriptions the other process is in the middle of, at whatever step it has reached.
 */
export async function renewUntilNothingDue(container: ExecArgs["container"], now: string) {
  const total = { runs: 0, renewed: 0, skipped: 0, errors: 0 }
  for (let run = 0; run < 30; run++) {
    const summary = await renewDueSubscriptions(container, { now, concurrency: 4 })
    Object.assign(total, { runs: total.runs + 1, renewed: total.renewed + summary.renewed, skipped: total.skipped + summary.skipped, errors: total.errors + summary.errors })
    if (!summary.subscriptions) {
      break
    }
  }
  return total
}

export default async function renewInChild({ container, args }: ExecArgs) {
  const [mode, ...rest] = args
  const die = (where: string) => {
    process.stdout.write(`KILLED AT ${where}\n`)
    process.kill(process.pid, "SIGKILL")
  }
  if (mode === "race") {
    process.stdout.write("READY\n")
    await new Promise((resolve) => process.stdin.once("data", resolve))
    process.stdout.write(`SUMMARY ${JSON.stringify(await renewUntilNothingDue(container, rest[0]))}\n`)
    return
  }
  const [subscriptionId, now, boundary] = rest
  if (boundary === "order-created") {
    const orders = container.resolve(Modules.ORDER) as any
    const createOrders = orders.createOrders.bind(orders)
    orders.createOrders = async (...input: unknown[]) => {
      const created = await createOrders(...input)
      die(boundary)
      return created
    }
  }
  if (boundary === "order-workflow-done") {
    const link = container.resolve(ContainerRegistrationKeys.LINK) as any
    link.create = async () => die(boundary)
  }
  await renewSubscriptionPeriodWorkflow(container).run({
    input: { subscription_id: subscriptionId, now },
    events: {
      onStepSuccess: ({ step }: any) => {
        if (step?.definition?.action === boundary) {
          die(boundary)
        }
      },
    },
  })
  process.stdout.write(`NOT KILLED (${boundary})\n`)
}

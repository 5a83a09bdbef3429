import { spawn, type ChildProcess } from "node:child_process"
import path from "node:path"
import Redis from "ioredis"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { SUBSCRIPTION_MODULE, type SubscriptionModuleService } from "../../src/modules/subscription"
import { freePort } from "../../scripts/demo/ports"

const ROOT = path.resolve(__dirname, "../..")

/**
 * The production layout on the repository's store (medusa-config.ts, MEDUSA_REDIS_MODULES): Medusa's event
 * bus, workflow engine and locks on Redis, under a prefix of this run's own so that parallel runs on one Redis
 * never share a queue or a lock. Call at the top level of a spec, before the test runner boots Medusa.
 * MEDUSA_LOCKING=memory keeps Medusa's default in-memory locks (to see what the shared ones protect).
 */
export function useRedisLayout() {
  const redisUrl = process.env.MULTI_PROCESS_REDIS_URL ?? "redis://127.0.0.1:6379"
  const namespace = `dintero-mp-${process.pid}-${Date.now().toString(36)}`
  Object.assign(process.env, {
    MEDUSA_REDIS_MODULES: "true",
    REDIS_URL: redisUrl,
    MEDUSA_REDIS_NAMESPACE: namespace,
    MEDUSA_WORKER_MODE: "shared",
    SUBSCRIPTION_RENEWAL_JOB: "off",
    SUBSCRIPTION_NOTICES_JOB: "off",
    DINTERO_RECONCILIATION_JOB: "off",
  })
  return { redisUrl, namespace, locking: process.env.MEDUSA_LOCKING === "memory" ? ("memory" as const) : ("redis" as const) }
}

/** Deletes this run's queues and locks (every key under its prefix) from Redis. */
export async function clearRedisNamespace(redisUrl: string, namespace: string) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  try {
    const keys = await redis.keys(`${namespace}:*`)
    for (let i = 0; i < keys.length; i += 500) {
      await redis.del(...keys.slice(i, i + 500))
    }
  } finally {
    redis.disconnect()
  }
}

export type SecondMedusa = {
  process: ChildProcess
  port: number
  url: string
  output: () => string
  waitFor: (pattern: RegExp, from?: number) => Promise<RegExpExecArray>
  /** Sends one command line (second-medusa.ts); returns the output length before it, for waitFor. */
  send: (line: string) => number
  stop: () => Promise<void>
}

/**
 * Another Medusa process (integration-tests/multi-process/second-medusa.ts) on `databaseUrl`, with this
 * process's environment: the same emulator, secrets, public URL and Redis prefix. It serves HTTP on its own
 * port and renews on command.
 */
export async function startSecondMedusa(databaseUrl: string, env: Record<string, string> = {}): Promise<SecondMedusa> {
  const port = await freePort()
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(__dirname, "second-medusa.ts")], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: "", DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "warn", MEDUSA_ADMIN_DISABLE: "true", NODE_ENV: "test", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  })
  let output = ""
  const waiters: Array<() => void> = []
  const collect = (chunk: Buffer) => {
    output += chunk.toString()
    waiters.splice(0).forEach((wake) => wake())
  }
  child.stdout!.on("data", collect)
  child.stderr!.on("data", collect)
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()))
  const waitFor = async (pattern: RegExp, from = 0) => {
    for (;;) {
      const found = pattern.exec(output.slice(from))
      if (found) {
        return found
      }
      const woken = new Promise<void>((resolve) => waiters.push(resolve))
      if ((await Promise.race([woken.then(() => "data"), exited.then(() => "exit")])) === "exit" && !pattern.exec(output.slice(from))) {
        throw new Error(`the second Medusa process ended without ${pattern}:\n${output.slice(-4000)}`)
      }
    }
  }
  const send = (line: string) => {
    const mark = output.length
    child.stdin!.write(`${line}\n`)
    return mark
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      send("exit")
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))])
      child.kill("SIGKILL")
    }
  }
  return { process: child, port, url: `http://127.0.0.1:${port}`, output: () => output, waitFor, send, stop }
}

/**
 * `count` subscriptions like `templateId` (one the admin API made), copied through the subscription module
 * and linked to the same customer: seeding at the speed of the database, not of one HTTP request each.
 */
export async function copySubscriptions(container: MedusaContainer, templateId: string, count: number, override: Record<string, unknown> = {}): Promise<string[]> {
  const service = container.resolve(SUBSCRIPTION_MODULE) as SubscriptionModuleService
  const template = (await service.retrieveSubscription(templateId)) as any
  const copy = Object.fromEntries(
    [
      "customer_id", "card_id", "status", "currency_code", "items", "interval", "interval_count", "anchor_day",
      "current_period_start", "current_period_end", "next_charge_at", "region_id", "sales_channel_id", "email",
      "shipping_address", "billing_address",
    ].map((field) => [field, template[field]])
  )
  const ids: string[] = []
  for (let offset = 0; offset < count; offset += 500) {
    const rows = await service.createSubscriptions(Array.from({ length: Math.min(500, count - offset) }, () => ({ ...copy, ...override })) as any)
    await container
      .resolve(ContainerRegistrationKeys.LINK)
      .create(rows.map((row: { id: string }) => ({ [SUBSCRIPTION_MODULE]: { subscription_id: row.id }, [Modules.CUSTOMER]: { customer_id: template.customer_id } })))
    ids.push(...rows.map((row: { id: string }) => row.id))
  }
  return ids
}

export function countBy(values: Array<string | number>): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of values) {
    counts[value] = (counts[value] ?? 0) + 1
  }
  return counts
}

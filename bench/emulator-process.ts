/**
 * What the benchmarks share: the Dintero emulator in a process of its own (its CLI), so that its CPU does not
 * share the measured event loop, and a count of the statements Medusa sends to PostgreSQL.
 */
import { spawn } from "node:child_process"
import path from "node:path"

const ROOT = path.resolve(__dirname, "..")

export type EmulatorProcess = {
  /** e.g. http://127.0.0.1:4550 (the control API is under `${url}/__emulator`). */
  url: string
  /** The Dintero API base URL the plugin or client is given: `${url}/v1`. */
  baseUrl: string
  /** The emulator's test control API: `control("POST", "latency", { ms: 0 })`. */
  control<T = any>(method: string, route: string, body?: unknown): Promise<T>
  stop(): void
}

/** Starts `emulator/src/cli.ts --port 0 …args` and waits for the address it prints. */
export function startEmulatorProcess(args: string[] = []): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "emulator/src/cli.ts"), "--port", "0", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "emulator/tsconfig.json"), NODE_OPTIONS: "--max-old-space-size=4096" },
  })
  return new Promise((resolve, reject) => {
    let output = ""
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Dintero emulator running at (\S+)/.exec(output)
      if (!match) return
      // Keep draining its per-request log lines so the pipe never fills; the benchmarks count through the control API.
      child.stdout!.off("data", onData)
      child.stdout!.resume()
      const url = match[1]
      const stop = () => child.kill("SIGTERM")
      // Whatever way the benchmark ends, the emulator ends with it.
      process.once("exit", stop)
      resolve({ url, baseUrl: `${url}/v1`, control: (method, route, body) => control(url, method, route, body), stop })
    }
    child.stdout!.on("data", onData)
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before it started:\n${output}`)))
  })
}

async function control(url: string, method: string, route: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}/__emulator/${route.replace(/^\//, "")}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) {
    throw new Error(`emulator ${method} ${route}: ${response.status} ${await response.text()}`)
  }
  return response.json()
}

/**
 * Every statement any of Medusa's PostgreSQL connections sends, counted at pg's Client#query: MikroORM (the
 * modules' data) has its own copy of pg, knex (Medusa's shared connection, links, workflows) the top-level one.
 */
export function countSqlStatements(): { count: () => number } {
  const counter = { statements: 0 }
  for (const from of [ROOT, path.dirname(require.resolve("@mikro-orm/postgresql", { paths: [ROOT] }))]) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proto = require(require.resolve("pg", { paths: [from] })).Client.prototype
    if (proto.__benchCounter) {
      return proto.__benchCounter
    }
    const query = proto.query
    proto.query = function (...args: unknown[]) {
      counter.statements++
      return query.apply(this, args)
    }
    proto.__benchCounter = { count: () => counter.statements }
  }
  return { count: () => counter.statements }
}

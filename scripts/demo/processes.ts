/**
 * Child processes of the demo: one-off `medusa` commands (db:migrate, user) and the long-running
 * store. Each child leads its own process group so that stopping it also stops what it forked
 * (`medusa develop` forks `medusa start`), and so that only the demo decides when they stop.
 * Output goes to log files, never to the console.
 */
import { spawn, type ChildProcess } from "node:child_process"
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { DemoError } from "./print"

export const ROOT = path.resolve(__dirname, "../..")
export const LOG_DIR = path.join(ROOT, ".medusa")

const MEDUSA_CLI = require.resolve("@medusajs/cli/cli.js", { paths: [ROOT] })

/** Every process group the demo started (a group can outlive its leader, so none is forgotten). */
const started: ChildProcess[] = []

export function logPath(name: string, opts: { truncate?: boolean } = {}): string {
  mkdirSync(LOG_DIR, { recursive: true })
  const file = path.join(LOG_DIR, name)
  if (opts.truncate) writeFileSync(file, "")
  return file
}

/** The last `lines` lines of a log, without colour codes. */
export function logTail(file: string, lines = 25): string[] {
  try {
    const text = readFileSync(file, "utf8").replace(/\x1b\[[0-9;]*m/g, "")
    return text.split("\n").filter((line) => line.trim()).slice(-lines)
  } catch {
    return []
  }
}

/** What a failure report shows of a log: its first error message, up to the stack trace; else the tail. */
export function logExcerpt(file: string, lines = 15): string[] {
  const recent = logTail(file, 300)
  const first = recent.findIndex((line) => /^error:|^Error\b|\bError starting server\b/.test(line))
  if (first < 0) return recent.slice(-lines)
  const message = recent.slice(first)
  const stack = message.findIndex((line) => /^\s+at /.test(line))
  return message.slice(0, stack > 0 ? stack : lines).slice(0, lines)
}

function spawnMedusa(args: string[], env: NodeJS.ProcessEnv, logFile: string, append: boolean): ChildProcess {
  const fd = openSync(logFile, append ? "a" : "w")
  try {
    const child = spawn(process.execPath, [MEDUSA_CLI, ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", fd, fd],
      detached: true,
    })
    started.push(child)
    return child
  } finally {
    closeSync(fd) // the child has its own copy
  }
}

/** Runs `medusa <args>` to completion; resolves with its exit code. */
export function runMedusa(args: string[], env: NodeJS.ProcessEnv, logFile: string, timeoutMs = 10 * 60_000): Promise<number> {
  const child = spawnMedusa(args, env, logFile, true)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopGroup(child)
      reject(new DemoError(`medusa ${args[0]} did not finish within ${timeoutMs / 1000} s`, logTail(logFile)))
    }, timeoutMs)
    child.once("error", (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      resolve(code ?? (signal ? 128 : 1))
    })
  })
}

export type StoreProcess = { url: string; port: number; command: string; logFile: string; child: ChildProcess; stop(): Promise<void> }

/**
 * Starts the store and waits until GET /health answers 200. By default that is `medusa start` with
 * NODE_ENV=development, which is what `medusa develop` runs (admin dashboard served by Vite at /app)
 * minus its file watcher: the watcher restarts the server on any change in the repository, dropping
 * requests in flight. `watch` runs `medusa develop` itself, for working on the plugin.
 *
 * `dashboard: "built"` serves the dashboard built beforehand into public/admin instead (Medusa's admin
 * loader does so whenever NODE_ENV is not "development"; integration-tests/browser/helpers/build-dashboard.mjs
 * builds it): one bundle a browser loads in a second, where Vite's development server sends hundreds of modules
 * to each new browser profile. NODE_ENV is then "test", not "production", whose secure session cookie a
 * browser would not get back over plain http.
 */
export async function startStore(opts: {
  port: number
  env: NodeJS.ProcessEnv
  logFile: string
  watch?: boolean
  dashboard?: "vite" | "built"
  timeoutMs?: number
}): Promise<StoreProcess> {
  const { port, logFile, timeoutMs = 180_000 } = opts
  const url = `http://localhost:${port}`
  const command = opts.watch ? "develop" : "start"
  const nodeEnv = opts.dashboard === "built" && !opts.watch ? "test" : "development"
  const child = spawnMedusa([command], { ...opts.env, NODE_ENV: nodeEnv, PORT: String(port) }, logFile, false)
  let exited: string | undefined
  child.once("exit", (code, signal) => (exited = signal ? `signal ${signal}` : `code ${code}`))
  const store: StoreProcess = { url, port, command, logFile, child, stop: () => stopGroup(child) }

  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (exited) {
      throw new DemoError(`medusa ${command} exited (${exited}) before the store answered; from ${rel(logFile)}:`, logExcerpt(logFile))
    }
    // `medusa develop` keeps running when the server it forked crashes: look for that in the log.
    const crashed = logTail(logFile, 200).some((line) => /Error starting server|Dev server failed to start/.test(line))
    if (crashed) {
      await store.stop()
      throw new DemoError(`the store failed to start; from ${rel(logFile)}:`, logExcerpt(logFile))
    }
    if (await healthy(url)) return store
    await sleep(500)
  }
  await store.stop()
  throw new DemoError(`the store did not answer GET ${url}/health within ${timeoutMs / 1000} s; last lines of ${rel(logFile)}:`, logTail(logFile))
}

export async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })
    await res.text()
    return res.status === 200
  } catch {
    return false
  }
}

/** Waits (up to `timeoutMs`) for the store to answer again, e.g. after `medusa develop` restarted it. */
export async function waitHealthy(url: string, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await healthy(url)) return true
    await sleep(500)
  }
  return false
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
    return true
  } catch {
    return false
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** SIGINT to the child's process group (Medusa shuts down gracefully), SIGKILL after `graceMs`. */
export async function stopGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  const pid = child.pid
  if (!pid || !groupAlive(pid)) return
  signalGroup(pid, "SIGINT")
  const deadline = Date.now() + graceMs
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100)
  if (groupAlive(pid)) {
    signalGroup(pid, "SIGKILL")
    while (groupAlive(pid)) await sleep(50)
  }
}

/** Last resort when the demo exits without stopping them (e.g. an unexpected crash): signal, don't wait. */
export function signalAllNow(): void {
  for (const child of started) if (child.pid && groupAlive(child.pid)) signalGroup(child.pid, "SIGTERM")
}

/** Stops every process group the demo started. */
export async function stopAll(): Promise<void> {
  await Promise.all(started.map((child) => stopGroup(child)))
}

export const rel = (file: string) => path.relative(process.cwd(), file) || file

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

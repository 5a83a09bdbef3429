/**
 * The store a browser test drives: the same development store `npm run demo` runs (scripts/demo/*), on a
 * fresh database, with the Dintero emulator in this process, the admin dashboard at /app (built once into
 * public/admin with the plugin's widgets and routes from src/admin, see build-dashboard.mjs, and served by
 * `medusa start`), an admin user, the Norwegian seed and the demo storefront (hosted and embedded checkout).
 * Boot it once per spec file in `beforeAll` and stop it in `afterAll`: a boot costs about a minute on 2 cores
 * (migrations, the server's start), plus the dashboard's build when src/admin changed; each test after that
 * takes seconds.
 *
 * Logs: .medusa/browser-<name>-{setup,store,emulator}.log.
 */
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { openSync, closeSync } from "node:fs"
import path from "node:path"
import { Client } from "pg"
import { ensureOk, type StoreHttp } from "../../../scripts/lib/http"
import { seedStore, type SeededStore } from "../../../scripts/lib/seed-store"
import { storeClient } from "../../../scripts/lib/store-checkout"
import { startEmulator, type DinteroEmulator } from "../../../scripts/demo/dintero"
import { storeHttp } from "../../../scripts/demo/http"
import { freePort } from "../../../scripts/demo/ports"
import { ensureDatabase } from "../../../scripts/demo/postgres"
import { logExcerpt, logPath, runMedusa, startStore, stopAll, type StoreProcess } from "../../../scripts/demo/processes"
import { startStorefront, type Storefront } from "../../../scripts/demo/storefront"
import { storeEnv } from "../../../scripts/demo/store-env"

/** The demo's admin login (scripts/demo.ts, integration-tests/helpers/admin-user.ts). */
export const ADMIN_EMAIL = "admin@medusa-test.com"
export const ADMIN_PASSWORD = "supersecret"

export type BrowserStore = {
  /** e.g. http://localhost:41234; the dashboard is at `${url}/app`. */
  url: string
  emulator: DinteroEmulator
  /** Admin API as the seeded admin user (Bearer token). */
  admin: StoreHttp
  /** Store API with the seeded publishable key. */
  shop: StoreHttp
  seeded: SeededStore
  storefront: Storefront
  admins: { email: string; password: string }
  /** Milliseconds each boot step took, for the suite's timing report. */
  timings: Record<string, number>
  stop(): Promise<void>
}

const SERVER = "postgres://postgres@localhost:5432"

export async function startBrowserStore(name: string): Promise<BrowserStore> {
  const timings: Record<string, number> = {}
  const timed = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now()
    try {
      return await fn()
    } finally {
      timings[label] = Date.now() - started
    }
  }
  const stops: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined)
    await stopAll()
  }

  try {
    const database = `medusa_dintero_browser_${name.replace(/\W/g, "_")}`
    await recreateDatabase(database)
    const db = await ensureDatabase(`${SERVER}/${database}`)
    stops.push(() => dropDatabase(database))

    const [emulatorPort, storePort, storefrontPort] = [await freePort(), await freePort(), await freePort()]
    const setupLog = logPath(`browser-${name}-setup.log`, { truncate: true })
    const dintero = await startEmulator({ port: emulatorPort, logFile: logPath(`browser-${name}-emulator.log`) })
    stops.push(dintero.close)

    const env = storeEnv({
      databaseUrl: db.url,
      storePort,
      storefrontPort,
      emulator: dintero.emulator,
      account: dintero.account,
      callbackSecret: dintero.callbackSecret,
      tokenEncryptionKey: randomBytes(32).toString("base64"),
    })
    // The callback comes a second after the payment rather than Dintero's default 10 s: the tests wait for it.
    env.DINTERO_CALLBACK_DELAY_SECONDS = "1"
    // No background jobs racing the pages under test.
    env.DINTERO_RECONCILIATION_JOB = "off"
    env.SUBSCRIPTION_RENEWAL_JOB = "off"

    // The dashboard's build and the migrations are independent: run them side by side.
    const dashboardLog = logPath(`browser-${name}-dashboard.log`, { truncate: true })
    await Promise.all([
      timed("dashboard build", () => buildDashboard(dashboardLog)),
      timed("migrate", async () => {
        const code = await runMedusa(["db:migrate"], env, setupLog)
        if (code !== 0) throw new Error(`medusa db:migrate exited with ${code}:\n${logExcerpt(setupLog).join("\n")}`)
      }),
    ])
    await timed("admin user", async () => {
      const code = await runMedusa(["user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], env, setupLog)
      if (code !== 0) throw new Error(`medusa user exited with ${code}:\n${logExcerpt(setupLog).join("\n")}`)
    })
    const store: StoreProcess = await timed("store start", () =>
      startStore({ port: storePort, env, logFile: logPath(`browser-${name}-store.log`), dashboard: "built" })
    )
    stops.push(store.stop)

    const { token } = ensureOk(
      await storeHttp(store.url).post<{ token: string }>("/auth/user/emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
      "admin login"
    )
    const admin = storeHttp(store.url, { authorization: `Bearer ${token}` })
    const seeded = await timed("seed", () => seedStore(admin))
    const shop = storeClient(storeHttp(store.url), seeded.publishableKey)
    const storefront = await startStorefront({
      port: storefrontPort,
      store: shop,
      seeded,
      adminUrl: `${store.url}/app`,
      dinteroEndpoint: dintero.emulator.url,
    })
    stops.push(storefront.close)

    await dashboardServed(store.url)

    return {
      url: store.url,
      emulator: dintero.emulator,
      admin,
      shop,
      seeded,
      storefront,
      admins: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
      timings,
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

const BUILD_SCRIPT = path.join(__dirname, "build-dashboard.mjs")

/** node build-dashboard.mjs (a no-op when public/admin is current), its output in `logFile`. */
function buildDashboard(logFile: string): Promise<void> {
  const fd = openSync(logFile, "a")
  const child = spawn(process.execPath, [BUILD_SCRIPT], { stdio: ["ignore", fd, fd] })
  closeSync(fd)
  return new Promise((resolve, reject) => {
    child.once("error", reject)
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`building the dashboard failed (exit ${code}):\n${logExcerpt(logFile).join("\n")}`))
    )
  })
}

async function dashboardServed(url: string): Promise<void> {
  const res = await fetch(`${url}/app`, { signal: AbortSignal.timeout(30_000) })
  const html = await res.text()
  if (res.status !== 200) throw new Error(`GET /app answered ${res.status}: ${html.slice(0, 300)}`)
}

async function withServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${SERVER}/postgres` })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** A leftover database from an interrupted run is dropped: every boot starts empty. */
async function recreateDatabase(name: string): Promise<void> {
  await dropDatabase(name)
}

async function dropDatabase(name: string): Promise<void> {
  await withServer((client) => client.query(`drop database if exists "${name}" with (force)`))
}

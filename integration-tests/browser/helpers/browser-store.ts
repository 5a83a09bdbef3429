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
import { createHash, randomBytes } from "node:crypto"
import { closeSync, openSync, readdirSync, readFileSync } from "node:fs"
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
const ROOT = path.resolve(__dirname, "../../..")

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
    await dropDatabase(database) // a leftover of an interrupted run: every boot starts empty
    const template = `medusa_dintero_browser_tpl_${schemaHash()}`
    const fromTemplate = await copyDatabase(template, database)
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
      fromTemplate
        ? Promise.resolve()
        : timed("migrate", async () => {
            const code = await runMedusa(["db:migrate"], env, setupLog)
            if (code !== 0) throw new Error(`medusa db:migrate exited with ${code}:\n${logExcerpt(setupLog).join("\n")}`)
            await saveTemplate(database, template)
          }),
    ])
    // `medusa user` boots a Medusa of its own; it and the server's start share nothing but the database.
    const [store] = await Promise.all([
      timed("store start", () =>
        startStore({ port: storePort, env, logFile: logPath(`browser-${name}-store.log`), dashboard: "built" })
      ).then((store: StoreProcess) => (stops.push(store.stop), store)),
      timed("admin user", async () => {
        const code = await runMedusa(["user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], env, setupLog)
        if (code !== 0) throw new Error(`medusa user exited with ${code}:\n${logExcerpt(setupLog).join("\n")}`)
      }),
    ])

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

/**
 * What decides the migrated schema: the lockfile (Medusa's own modules and their migrations), the store's
 * configuration (which modules) and the plugin's migrations and links. A migrated database is kept as a
 * PostgreSQL template under this hash, so only the first boot after a change runs `medusa db:migrate`
 * (two minutes on a busy 2-core machine); the next ones copy it in a second.
 */
function schemaHash(): string {
  const hash = createHash("sha256")
  const files = ["package-lock.json", "medusa-config.ts", ...sourceFiles("src").filter((f) => /\/migrations\/|^src\/links\//.test(f))]
  for (const file of files) hash.update(`${file}\n`).update(readFileSync(path.join(ROOT, file)))
  return hash.digest("hex").slice(0, 16)
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const rel = `${dir}/${entry.name}`
      if (entry.isDirectory()) return entry.name === "__tests__" ? [] : sourceFiles(rel)
      return [rel]
    })
}

/** Creates `target` as a copy of `template` when the template exists; false when it does not. */
async function copyDatabase(template: string, target: string): Promise<boolean> {
  return withServer(async (client) => {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [template])
    if (!rowCount) return false
    await client.query(`create database "${target}" template "${template}"`)
    return true
  })
}

/** Keeps a just-migrated database as the template for the next boots, replacing templates of older schemas. */
async function saveTemplate(migrated: string, template: string): Promise<void> {
  await withServer(async (client) => {
    const { rows } = await client.query(
      "select datname from pg_database where datname like 'medusa_dintero_browser_tpl_%' and datname <> $1",
      [template]
    )
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`)
    await client.query(`create database "${template}" template "${migrated}"`).catch((error) => {
      if ((error as { code?: string }).code !== "42P04") throw error // made meanwhile by another run: fine
    })
  })
}

async function dropDatabase(name: string): Promise<void> {
  await withServer((client) => client.query(`drop database if exists "${name}" with (force)`))
}

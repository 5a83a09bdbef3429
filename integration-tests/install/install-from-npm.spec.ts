/**
 * The package installs as the README says (issue 12): build and pack the plugin as `npm publish` would,
 * check the pack (scripts/check-package.mjs), install the tarball into a fresh Medusa 2.21 store made
 * outside the repository as create-medusa-app lays it out, type-check the merchant's code against the
 * shipped declarations, migrate a new database, start the store and the emulator from the installed bin,
 * and pay one checkout through the Store API. One store boot for the file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import { ensureOk, fetchHttp, type StoreHttp } from "../../scripts/lib/http"
import { seedStore, type SeededStore } from "../../scripts/lib/seed-store"
import { completeCartOnReturn, initiatePaymentSession, prepareCart, storeClient } from "../../scripts/lib/store-checkout"
import { freePort } from "../../scripts/demo/ports"
import { background, childEnv, createStore, REPO_ROOT, run, runAsync, waitFor, type Background } from "./fresh-store"

jest.setTimeout(15 * 60_000)

const PG_URL = process.env.INSTALL_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432"
const ADMIN = { email: "admin@install-test.example", password: "install-test-password" }
// The emulator's default test account (its --help prints them).
const ACCOUNT = { accountId: "T12345678", clientId: "emulator-client-id", clientSecret: "emulator-client-secret" }
const CALLBACK_SECRET = "install-test-callback-secret"

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"))
const work = mkdtempSync(path.join(os.tmpdir(), "dintero-install-"))
const storeDir = path.join(work, "my-medusa-store")
const database = `dintero_install_${process.pid}_${Date.now().toString(36)}`

let tarball: string
let emulator: Background | undefined
let store: Background | undefined
let emulatorUrl: string
let storeUrl: string
let env: NodeJS.ProcessEnv
// Started in beforeAll and awaited by the tests, so the type-check runs while the database migrates.
let typeChecked: Promise<unknown>
let migrated: Promise<unknown>

async function pg<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${PG_URL}/postgres` })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

// How long each phase took, printed at the end (the suite's cost in `npm test`).
const phases: string[] = []
async function timed<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  const started = Date.now()
  try {
    return await fn()
  } finally {
    phases.push(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
}

const medusa = (args: string[]) => runAsync("npx", ["--no-install", "medusa", ...args], { cwd: storeDir, env, timeoutMs: 10 * 60_000 })

/** Marks a promise awaited later as handled now, so a failure is reported by the test that awaits it. */
function later<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

beforeAll(async () => {
  // A clean clone has no build: make it as `npm publish` would (prepublishOnly), then pack.
  await timed("npm run build", () => run("npm", ["run", "build"], { cwd: REPO_ROOT }))
  const packJson = run("npm", ["pack", "--json", "--pack-destination", work, "--loglevel=error"], { cwd: REPO_ROOT })
  writeFileSync(path.join(work, "pack.json"), packJson)
  tarball = path.join(work, JSON.parse(packJson)[0].filename)
  await timed("store created, plugin installed by npm", () => createStore(storeDir, tarball))

  const [emulatorPort, storePort] = [await freePort(), await freePort()]
  emulatorUrl = `http://127.0.0.1:${emulatorPort}`
  storeUrl = `http://127.0.0.1:${storePort}`
  await pg((client) => client.query(`CREATE DATABASE "${database}"`))
  env = childEnv({
    NODE_ENV: "development", // what `npm run dev` (medusa develop) runs the store with
    DATABASE_URL: `${PG_URL}/${database}`,
    PORT: String(storePort),
    MEDUSA_BACKEND_URL: storeUrl,
    STORE_CORS: "http://localhost:8000",
    ADMIN_CORS: storeUrl,
    AUTH_CORS: `${storeUrl},http://localhost:8000`,
    JWT_SECRET: "install-test-jwt",
    COOKIE_SECRET: "install-test-cookie",
    DINTERO_ACCOUNT_ID: ACCOUNT.accountId,
    DINTERO_CLIENT_ID: ACCOUNT.clientId,
    DINTERO_CLIENT_SECRET: ACCOUNT.clientSecret,
    DINTERO_CALLBACK_SECRET: CALLBACK_SECRET,
    DINTERO_API_BASE_URL: `${emulatorUrl}/v1`,
    DINTERO_CHECKOUT_BASE_URL: `${emulatorUrl}/v1`,
  })
  const tsc = require.resolve("typescript/bin/tsc", { paths: [storeDir] })
  typeChecked = later(timed("tsc in the store (while migrating)", () => runAsync("node", [tsc, "--noEmit", "-p", "tsconfig.json"], { cwd: storeDir })))
  migrated = later(timed("medusa db:migrate", () => medusa(["db:migrate"])))
})

afterAll(async () => {
  console.log(`install test phases:\n  ${phases.join("\n  ")}`)
  await store?.stop()
  await emulator?.stop()
  await pg((client) => client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)).catch(() => undefined)
  rmSync(work, { recursive: true, force: true }) // removes the store's links, not what they point at
})

describe(`${pkg.name} installed from its npm tarball into a fresh Medusa store`, () => {
  it("packs only what ships, with every exports, typesVersions and bin target and README links that resolve", async () => {
    const out = await timed("check-package", () => run("node", [path.join(REPO_ROOT, "scripts/check-package.mjs"), "--pack-json", path.join(work, "pack.json")], { cwd: REPO_ROOT }))
    expect(out).toContain("✓")
  })

  it("is installed with its bin and dependencies, and the store's Medusa packages satisfy its peer ranges", () => {
    const installed = path.join(storeDir, "node_modules", pkg.name)
    expect(statSync(installed).isDirectory()).toBe(true)
    expect(JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")).version).toBe(pkg.version)
    const bin = path.join(storeDir, "node_modules", ".bin", "medusa-payment-dintero-emulator")
    expect(statSync(bin).mode & 0o111).not.toBe(0)
    for (const dependency of Object.keys(pkg.dependencies)) {
      expect(() => require.resolve(`${dependency}/package.json`, { paths: [installed] })).not.toThrow()
    }
    const semver = require("semver")
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      const version = JSON.parse(readFileSync(path.join(storeDir, "node_modules", name, "package.json"), "utf8")).version
      expect({ name, version, satisfies: semver.satisfies(version, range) }).toEqual({ name, version, satisfies: true })
    }
    // The admin bundle Medusa's dashboard loads is reachable through the package's exports.
    expect(require.resolve(`${pkg.name}/admin`, { paths: [storeDir] })).toContain(path.join(installed, ".medusa/server/src/admin"))
  })

  it("type-checks the store's code that imports the package's workflows, provider types and emulator", async () => {
    await typeChecked
  })

  it("migrates, starts, and pays one checkout against the emulator started from the installed bin", async () => {
    await migrated
    // The admin user is created while the emulator and the store start.
    const adminCreated = later(timed("medusa user (while starting)", () => medusa(["user", "-e", ADMIN.email, "-p", ADMIN.password])))

    emulator = background(
      path.join(storeDir, "node_modules/.bin/medusa-payment-dintero-emulator"),
      // Dintero's callback comes after the provider's delay_callback (10 s): the customer's return places the order.
      ["--port", new URL(emulatorUrl).port, "--signature-secret", CALLBACK_SECRET],
      { cwd: storeDir, env }
    )
    await waitFor("the emulator", emulator, () => emulator!.output().includes("Dintero emulator running at"), 30_000)

    store = background("npx", ["--no-install", "medusa", "start"], { cwd: storeDir, env })
    await timed("medusa start", () =>
      waitFor("the store", store!, async () => (await fetch(`${storeUrl}/health`).catch(() => undefined))?.status === 200, 5 * 60_000)
    )
    await adminCreated
    const checkoutStarted = Date.now()

    const http = fetchHttp(storeUrl)
    const { token } = ensureOk(await http.post<{ token: string }>("/auth/user/emailpass", ADMIN), "admin login")
    const admin: StoreHttp = fetchHttp(storeUrl, { authorization: `Bearer ${token}` })
    const seeded: SeededStore = await seedStore(admin)
    phases.push(`seed: ${((Date.now() - checkoutStarted) / 1000).toFixed(1)} s`)
    expect(seeded.paymentProviders).toContain("pp_dintero_dintero")
    const shop = storeClient(http, seeded.publishableKey)

    const { cart, paymentCollection } = await prepareCart(shop, { regionId: seeded.regionId, variantId: seeded.variantId })
    const { paymentSession } = await initiatePaymentSession(shop, paymentCollection.id, "pp_dintero_dintero")
    const sessionId: string = paymentSession.data.dintero.session_id
    expect(sessionId).toEqual(expect.any(String))

    // The payer pays on Dintero's page (here the emulator's control API does what the page's form does).
    const paid = await fetchHttp(emulatorUrl).post<any>(`/__emulator/sessions/${sessionId}/pay`, { card: "4111111111111111" })
    expect(paid.status).toBe(200)
    expect(paid.data.status).toBe("AUTHORIZED")

    const completed = await completeCartOnReturn(shop, cart.id)
    expect(completed.status).toBe(200)
    expect(completed.data.type).toBe("order")
    const order = completed.data.order

    const fields = encodeURIComponent("id,total,*payment_collections,*payment_collections.payments")
    const { order: stored } = ensureOk(await admin.get<any>(`/admin/orders/${order.id}?fields=${fields}`), "retrieve order")
    const [payment] = stored.payment_collections[0].payments
    expect(payment.provider_id).toBe("pp_dintero_dintero")
    expect(payment.data.dintero.transaction_id).toBe(paid.data.transactionId)
    expect(Number(payment.amount)).toBe(Number(stored.total))

    const transaction = ensureOk(
      await fetchHttp(emulatorUrl).get<any>(`/__emulator/state`),
      "emulator state"
    ).transactions.find((t: any) => t.id === paid.data.transactionId)
    phases.push(`seed and checkout (together): ${((Date.now() - checkoutStarted) / 1000).toFixed(1)} s`)
    expect(transaction).toMatchObject({ status: "AUTHORIZED", amount: Math.round(Number(stored.total) * 100), currency: "NOK" })
  })
})

/**
 * `npm run demo`: a Medusa store with the Dintero plugin against the bundled Dintero emulator, a
 * customer checkout paid on the hosted page, then capture and refund from the admin.
 *
 *   npm run demo               stays up afterwards (admin at /app, a hosted checkout to try); Ctrl-C stops it
 *   npm run demo -- --exit     exits after the walkthrough (also DEMO_EXIT=1): 0 when every step passed
 *   npm run demo -- --watch    runs the store with `medusa develop`, which restarts it when you edit src/
 *
 * Needs PostgreSQL on localhost:5432 where user `postgres` may connect without a password (or set
 * DEMO_DATABASE_URL). Logs: .medusa/demo-setup.log, .medusa/demo-store.log, .medusa/demo-emulator.log.
 */
import { ensureOk } from "./lib/http"
import { seedStore, type SeededStore } from "./lib/seed-store"
import { storeClient } from "./lib/store-checkout"
import { backOffice } from "./demo/back-office"
import { customerCheckout } from "./demo/checkout"
import { startEmulator } from "./demo/dintero"
import { storeHttp } from "./demo/http"
import { pickPort } from "./demo/ports"
import { DEFAULT_DATABASE_URL, adminUserExists, ensureDatabase } from "./demo/postgres"
import { color, DemoError, detail, errorMessage, nok, note, ReportedError, run, section, step } from "./demo/print"
import { logExcerpt, logPath, logTail, rel, runMedusa, signalAllNow, startStore, stopAll, type StoreProcess } from "./demo/processes"
import { stayUp } from "./demo/stay-up"
import { demoTokenKey, storeEnv } from "./demo/store-env"
import { subscriptionWalkthrough } from "./demo/subscription"

const ADMIN_EMAIL = "admin@medusa-test.com"
const ADMIN_PASSWORD = "supersecret"

if (process.argv.includes("--help") || process.argv.includes("-h")) {
  console.log(
    [
      "Usage: npm run demo [-- --exit] [-- --watch]",
      "",
      "Creates the demo database, starts the Dintero emulator and a Medusa store with the plugin, then walks",
      "through a checkout paid on Dintero's hosted page and a capture and refund in the admin.",
      "",
      "  --exit    stop after the walkthrough; exit code 0 when every step passed (or DEMO_EXIT=1)",
      "  --watch   run the store with `medusa develop`, restarting it when files change (or DEMO_WATCH=1)",
      "",
      `Database: DEMO_DATABASE_URL (default ${DEFAULT_DATABASE_URL}).`,
    ].join("\n")
  )
  process.exit(0)
}

const exitWhenDone = process.argv.includes("--exit") || ["1", "true"].includes(process.env.DEMO_EXIT ?? "")
/** `medusa develop` (restarts the store when a file changes) instead of `medusa start`. */
const watch = process.argv.includes("--watch") || ["1", "true"].includes(process.env.DEMO_WATCH ?? "")
const startedAt = Date.now()

/** Everything to stop on the way out, in this order. */
const cleanups: Array<{ name: string; run: () => Promise<void> }> = []
let stopping = false
let ready = false

async function main(): Promise<void> {
  console.log(color.bold("medusa-payment-dintero demo") + color.dim(" · Medusa store + Dintero emulator"))
  section("Setting up")

  const db = await step(
    "PostgreSQL",
    () => ensureDatabase(process.env.DEMO_DATABASE_URL || DEFAULT_DATABASE_URL),
    (db) =>
      `PostgreSQL answers on ${db.server}${db.startedServer ? " (started the local cluster)" : ""}; ` +
      `database ${db.name} ${db.created ? "created" : "exists"}`
  )

  const [emulatorPort, storePort, storefrontPort] = [await pickPort(4550), await pickPort(9000), await pickPort(8000)]
  const setupLog = logPath("demo-setup.log", { truncate: true })
  const storeLog = logPath("demo-store.log")
  const emulatorLog = logPath("demo-emulator.log")

  const dintero = await step(
    "Dintero emulator",
    () => startEmulator({ port: emulatorPort, logFile: emulatorLog }),
    ({ emulator }) => `Dintero emulator on ${emulator.url}, signing callbacks with a per-run secret`
  )
  cleanups.push({ name: "Dintero emulator", run: dintero.close })
  const { emulator } = dintero

  const env = storeEnv({
    databaseUrl: db.url,
    storePort,
    storefrontPort,
    emulator,
    account: dintero.account,
    callbackSecret: dintero.callbackSecret,
    tokenEncryptionKey: demoTokenKey(),
  })

  await step(
    "Migrate the database (about 20 s on a new database)",
    async () => {
      const code = await runMedusa(["db:migrate"], env, setupLog)
      if (code !== 0) throw new DemoError(`medusa db:migrate exited with code ${code}; from ${rel(setupLog)}:`, logExcerpt(setupLog))
    },
    () => "Database migrated with medusa db:migrate"
  )

  await step(
    `Admin user ${ADMIN_EMAIL}`,
    async () => {
      if (await adminUserExists(db.url, ADMIN_EMAIL)) return "exists"
      const code = await runMedusa(["user", "-e", ADMIN_EMAIL, "-p", ADMIN_PASSWORD], env, setupLog)
      if (code === 0) return "created"
      if (logTail(setupLog, 60).some((line) => /User with email: .* already exists/i.test(line))) return "exists"
      throw new DemoError(`medusa user exited with code ${code}; from ${rel(setupLog)}:`, logExcerpt(setupLog))
    },
    (outcome) => `Admin user ${ADMIN_EMAIL} ${outcome}`
  )

  const store: StoreProcess = await step(
    `Start the store (medusa ${watch ? "develop" : "start"})`,
    () => startStore({ port: storePort, env, logFile: storeLog, watch }),
    (store) => `Medusa store (medusa ${store.command}) answers on ${store.url}; its output goes to ${rel(store.logFile)}`
  )
  cleanups.unshift({ name: "Medusa store", run: store.stop })
  store.child.once("exit", (code, signal) => {
    if (stopping) return
    console.log(`\n  ${color.red("✖")} The store stopped unexpectedly (${signal ?? `exit code ${code}`}); last lines of ${rel(storeLog)}:`)
    detail(...logTail(storeLog))
    void shutdown(1)
  })

  const admin = await step(
    "Log in to the Admin API",
    async () => {
      const { token } = ensureOk(
        await storeHttp(store.url).post<{ token: string }>("/auth/user/emailpass", { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
        "admin login"
      )
      return storeHttp(store.url, { authorization: `Bearer ${token}` })
    },
    () => `Logged in as ${ADMIN_EMAIL} (POST /auth/user/emailpass)`
  )

  const seeded: SeededStore = await step(
    "Seed the store",
    () => seedStore(admin),
    (s) => ({
      line: `Store seeded: region Norway (${s.currencyCode.toUpperCase()}, ${s.taxRate} % VAT) paying with ${s.paymentProviders.join(" + ")}`,
      details: [
        `product "Dintero test T-shirt" ${nok(s.productPrice)} excl. VAT, flat shipping ${nok(s.shippingPrice)}`,
        `publishable API key ${s.publishableKey}`,
      ],
    })
  )
  const shop = storeClient(storeHttp(store.url), seeded.publishableKey)

  const placed = await customerCheckout(shop, seeded, emulator)
  await backOffice(admin, emulator, placed)
  const customer = await subscriptionWalkthrough(shop, admin, seeded, emulator)

  if (exitWhenDone) {
    section("Done")
    note(`${color.green("✔")} Demo finished in ${seconds(Date.now() - startedAt)}; stopping the store and the emulator.`)
    await shutdown(0)
    return
  }

  await stayUp({
    storeUrl: store.url,
    storefrontPort,
    shop,
    seeded,
    emulator,
    placed,
    admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    customer,
    logs: [storeLog, emulatorLog, setupLog],
    onStop: (name, run) => cleanups.unshift({ name, run }),
  })
  ready = true
  // The open servers and the child process keep Node running until a signal arrives.
}

async function shutdown(code: number, sayStopped = false): Promise<void> {
  if (stopping) return
  const stopStarted = Date.now()
  stopping = run.stopping = true
  for (const cleanup of cleanups) {
    try {
      await cleanup.run()
    } catch (error) {
      console.log(`  ${color.red("✖")} stopping the ${cleanup.name}: ${errorMessage(error)}`)
    }
  }
  await stopAll() // anything else still running (a medusa command interrupted halfway)
  if (sayStopped) console.log(`  ${color.green("✔")} Stopped in ${seconds(Date.now() - stopStarted)}.`)
  process.exit(code)
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

process.on("exit", signalAllNow)

let signalledAt = 0
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      // npm passes the terminal's Ctrl-C on as well: only a later, separate press gets an answer.
      if (Date.now() - signalledAt > 1000) console.log(color.dim("  (still stopping: waiting for the store to exit)"))
      return
    }
    signalledAt = Date.now()
    console.log(`\n  ${signal === "SIGINT" ? "Ctrl-C" : signal}: stopping the store and the Dintero emulator…`)
    // Stopping a demo that is up and running is the normal way out.
    void shutdown(ready ? 0 : 130, true)
  })
}

main().catch(async (error) => {
  if (!(error instanceof ReportedError)) {
    console.log(`  ${color.red("✖")} ${errorMessage(error)}`)
    if (error instanceof DemoError) detail(...error.details)
    else if (process.env.DEMO_DEBUG) console.log(error)
  }
  if (!stopping) {
    const logs = cleanups.length ? ` Logs are in ${rel(logPath(""))}/demo-*.log.` : ""
    console.log(`\n${color.red("✖ The demo failed")} after ${seconds(Date.now() - startedAt)}.${logs}`)
    await shutdown(1)
  }
})

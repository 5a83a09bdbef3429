/**
 * Environment defaults for `medusaIntegrationTestRunner`. Import this FIRST in every integration
 * spec: `@medusajs/test-utils` reads the DB_* variables when it is loaded.
 *
 * - DB_HOST must be `localhost`: for any other host the runner forces SSL on the connection and the
 *   pool hangs ("Timeout acquiring a connection").
 * - DB_USERNAME: the runner's helpers disagree on the default ("" vs "postgres"), so set it.
 */
const defaults: Record<string, string> = {
  DB_HOST: "localhost",
  DB_USERNAME: "postgres",
  DB_PASSWORD: "",
  DB_PORT: "5432",
  // Medusa logs every migration at info level; keep test output to what matters.
  LOG_LEVEL: "error",
}

for (const [key, value] of Object.entries(defaults)) {
  process.env[key] ??= value
}

// Medusa loads its config and modules with dynamic import(), which Jest only allows with this flag.
const vmModulesFlag = "--experimental-vm-modules"
if (!process.env.NODE_OPTIONS?.includes(vmModulesFlag) && !process.execArgv.includes(vmModulesFlag)) {
  throw new Error(`Run the integration tests with NODE_OPTIONS=${vmModulesFlag} (see package.json "test:integration").`)
}

export {}

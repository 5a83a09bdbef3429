/**
 * A merchant's Medusa 2.21 store, made outside the repository the way `create-medusa-app` lays one out
 * (medusajs/medusa-starter-default: package.json, medusa-config.ts, tsconfig.json, src/), with this
 * plugin installed by npm from the packed tarball.
 *
 * How the store gets its dependencies, and why. `npm install` of a whole Medusa store fetches and
 * unpacks about 1,300 packages (three minutes here with a warm cache, more on a cold CI cache), which
 * would double the time the test takes. So:
 * - the plugin is installed by npm itself from the tarball, into the store (`--legacy-peer-deps`: its
 *   peers are the store's own packages, as in a real store where they are already installed), together
 *   with its own dependencies at the versions its ranges pick, and npm links its bin into
 *   node_modules/.bin: what `npm install medusa-payment-dintero` does;
 * - every other package of the store (Medusa 2.21 at the repository's versions) is a symlink to the
 *   repository's node_modules, the same packages `npm ci` installed from the lockfile. Node resolves
 *   them by their real path, so Medusa and the plugin share one copy of @medusajs/framework, as in a
 *   hoisted install.
 * What this does not check is npm's peer dependency resolution; the spec checks instead that the
 * store's installed Medusa packages satisfy the plugin's peer ranges.
 * Nothing is ever written through a symlink: only the links themselves are created, and removing the
 * store unlinks them.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from "node:child_process"
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs"
import path from "node:path"

export const REPO_ROOT = path.resolve(__dirname, "../..")
/**
 * Where the store's Medusa comes from: the repository's node_modules, or INSTALL_TEST_NODE_MODULES, the
 * node_modules of another install (another Medusa 2.x version, to check the peer ranges against it).
 */
const REPO_MODULES = process.env.INSTALL_TEST_NODE_MODULES
  ? path.resolve(process.env.INSTALL_TEST_NODE_MODULES)
  : path.join(REPO_ROOT, "node_modules")

/** The environment of every child process: the developer's DINTERO_* and jest's NODE_OPTIONS stay out. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("DINTERO_") && key !== "NODE_OPTIONS" && key !== "REDIS_URL")
  )
  return { ...env, MEDUSA_DISABLE_TELEMETRY: "true", ...extra }
}

/** Runs a command to completion; throws with its output when it fails. */
export function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): string {
  const result = spawnSync(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? childEnv(),
    encoding: "utf8",
    timeout: opts.timeoutMs ?? 5 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  })
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} (in ${opts.cwd}) failed with ${result.error ?? `exit code ${result.status}`}:\n${output.slice(-4000)}`)
  }
  return result.stdout
}

/** `run`, without blocking: for steps that overlap (a type-check while the database migrates). */
export function runAsync(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? childEnv(), stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let output = ""
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk
      output = (output + chunk).slice(-64_000)
    })
    child.stderr!.on("data", (chunk: Buffer) => (output = (output + chunk).slice(-64_000)))
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 5 * 60_000)
    child.once("error", reject)
    child.once("exit", (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve(stdout)
      else reject(new Error(`${command} ${args.join(" ")} (in ${opts.cwd}) failed with ${signal ?? `exit code ${code}`}:\n${output.slice(-4000)}`))
    })
  })
}

const repoVersion = (name: string) => {
  try {
    return JSON.parse(readFileSync(path.join(REPO_MODULES, name, "package.json"), "utf8")).version as string
  } catch {
    return "*" // a devDependency the other install does not have
  }
}

/** package.json of medusa-starter-default for 2.x, at the Medusa version the repository tests with. */
export function starterPackageJson(pluginSpec: string) {
  const medusa = repoVersion("@medusajs/medusa")
  return {
    name: "dintero-install-test-store",
    version: "0.0.1",
    private: true,
    scripts: { build: "medusa build", seed: "medusa exec ./src/scripts/seed.ts", start: "medusa start", dev: "medusa develop" },
    dependencies: {
      "@medusajs/admin-sdk": medusa,
      "@medusajs/cli": medusa,
      "@medusajs/framework": medusa,
      "@medusajs/medusa": medusa,
      "medusa-payment-dintero": pluginSpec,
    },
    devDependencies: {
      "@medusajs/test-utils": medusa,
      "@swc/core": repoVersion("@swc/core"),
      "@types/node": repoVersion("@types/node"),
      "@types/react": repoVersion("@types/react"),
      react: repoVersion("react"),
      "react-dom": repoVersion("react-dom"),
      "ts-node": repoVersion("ts-node"),
      typescript: repoVersion("typescript"),
    },
    engines: { node: ">=20" },
  }
}

/** tsconfig.json of medusa-starter-default for 2.x. */
export const STARTER_TSCONFIG = {
  compilerOptions: {
    target: "ES2021",
    esModuleInterop: true,
    module: "Node16",
    moduleResolution: "Node16",
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    skipLibCheck: true,
    skipDefaultLibCheck: true,
    declaration: false,
    sourceMap: false,
    inlineSourceMap: true,
    outDir: "./.medusa/server",
    rootDir: "./",
    jsx: "react-jsx",
    forceConsistentCasingInFileNames: true,
    resolveJsonModule: true,
    checkJs: false,
    strictNullChecks: true,
  },
  "ts-node": { swc: true },
  include: ["**/*", ".medusa/types/*"],
  exclude: ["node_modules", ".medusa/server", ".medusa/admin", ".cache"],
}

/**
 * The README's install snippet, as a merchant writes it into the starter's medusa-config.ts, with the
 * two base URLs pointing at the emulator (the commented lines of the README, uncommented).
 */
export const STORE_MEDUSA_CONFIG = `import { loadEnv, defineConfig } from "@medusajs/framework/utils"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    redisUrl: process.env.REDIS_URL,
    http: {
      storeCors: process.env.STORE_CORS!,
      adminCors: process.env.ADMIN_CORS!,
      authCors: process.env.AUTH_CORS!,
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: {
    backendUrl: process.env.MEDUSA_BACKEND_URL,
  },
  plugins: [{ resolve: "medusa-payment-dintero", options: {} }],
  modules: [
    {
      resolve: "@medusajs/medusa/payment",
      options: {
        providers: [
          {
            resolve: "medusa-payment-dintero/providers/dintero",
            id: "dintero",
            options: {
              accountId: process.env.DINTERO_ACCOUNT_ID,
              clientId: process.env.DINTERO_CLIENT_ID,
              clientSecret: process.env.DINTERO_CLIENT_SECRET,
              backendUrl: process.env.MEDUSA_BACKEND_URL,
              returnUrl: "https://shop.example.com/checkout/dintero/return",
              callbackSecret: process.env.DINTERO_CALLBACK_SECRET,
              apiBaseUrl: process.env.DINTERO_API_BASE_URL,
              checkoutBaseUrl: process.env.DINTERO_CHECKOUT_BASE_URL,
            },
          },
        ],
      },
    },
  ],
})
`

/**
 * A file of the merchant's own code using the package's types: it type-checks only if the declarations
 * ship and the exports resolve them. The starter's tsconfig is not strict, so a missing declaration would
 * be a silent \`any\`; the @ts-expect-error lines fail the check in that case (an unused expect-error is an
 * error).
 */
export const STORE_TYPES_CHECK = `import { reconcileDinteroSessionWorkflow } from "medusa-payment-dintero/workflows"
import type { DinteroOptionsInput } from "medusa-payment-dintero/providers/dintero"
import { startDinteroEmulator, type DinteroEmulator } from "medusa-payment-dintero/emulator"

export const options: DinteroOptionsInput = {
  accountId: "T12345678",
  clientId: "client",
  clientSecret: "secret",
  backendUrl: "http://localhost:9000",
  returnUrl: "http://localhost:8000/return",
}
// @ts-expect-error saveCards is "never" | "on_request" | "subscriptions": the declarations are real, not any
export const mistyped: DinteroOptionsInput = { ...options, saveCards: "always" }
export const workflowName: string = reconcileDinteroSessionWorkflow.getName()
export const emulator = (): Promise<DinteroEmulator> => startDinteroEmulator({ port: 0 })
// @ts-expect-error the emulator's options are an object
export const wrongEmulator = () => startDinteroEmulator("4550")
`

/** Writes the starter's files into `dir` and installs the plugin from `tarball` (see the file's comment). */
export function createStore(dir: string, tarball: string): void {
  mkdirSync(path.join(dir, "src", "api"), { recursive: true })
  for (const sub of ["jobs", "modules", "subscribers", "workflows", "links", "scripts", "admin"]) {
    mkdirSync(path.join(dir, "src", sub), { recursive: true })
  }
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(STARTER_TSCONFIG, null, 2))
  writeFileSync(path.join(dir, "medusa-config.ts"), STORE_MEDUSA_CONFIG)
  writeFileSync(path.join(dir, "src", "dintero-types-check.ts"), STORE_TYPES_CHECK)

  // 1. npm installs the plugin alone (the store's other packages are linked in step 2).
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "dintero-install-test-store", version: "0.0.1", private: true }, null, 2))
  run(
    "npm",
    ["install", tarball, "--legacy-peer-deps", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock", "--loglevel=error"],
    { cwd: dir }
  )
  // 2. Medusa and the rest: links to the repository's node_modules, never over what npm installed.
  const modules = path.join(dir, "node_modules")
  for (const entry of readdirSync(REPO_MODULES)) {
    if (entry.startsWith(".")) continue // .bin below; .package-lock.json, caches (.vite) stay the repository's
    if (entry === "medusa-payment-dintero") continue
    const target = path.join(modules, entry)
    if (!existsSync(target)) {
      symlinkSync(path.join(REPO_MODULES, entry), target, "dir")
    } else if (entry.startsWith("@") && !lstatSync(target).isSymbolicLink()) {
      for (const scoped of readdirSync(path.join(REPO_MODULES, entry))) {
        const scopedTarget = path.join(target, scoped)
        if (!existsSync(scopedTarget)) symlinkSync(path.join(REPO_MODULES, entry, scoped), scopedTarget, "dir")
      }
    }
  }
  const bin = path.join(modules, ".bin")
  mkdirSync(bin, { recursive: true })
  for (const name of readdirSync(path.join(REPO_MODULES, ".bin"))) {
    const link = path.join(bin, name)
    if (existsSync(link) || isLink(link)) continue
    // The repository's .bin links are relative (../@medusajs/cli/cli.js), so they point into the store's node_modules.
    symlinkSync(readlinkSync(path.join(REPO_MODULES, ".bin", name)), link)
  }
  // 3. The package.json create-medusa-app writes, with the plugin as npm recorded it.
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(starterPackageJson(`file:${tarball}`), null, 2))
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

export type Background = { child: ChildProcess; output: () => string; stop: () => Promise<void> }

/** A long-running child in its own process group (so what it forks stops with it), its output kept. */
export function background(command: string, args: string[], opts: SpawnOptions & { cwd: string }): Background {
  const child = spawn(command, args, { ...opts, detached: true, stdio: ["ignore", "pipe", "pipe"] })
  let output = ""
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-200_000)
  }
  child.stdout!.on("data", keep)
  child.stderr!.on("data", keep)
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
    try {
      process.kill(-child.pid!, "SIGTERM")
    } catch {
      return
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL")
      } catch {
        // already gone
      }
    }, 10_000)
    await exited
    clearTimeout(timer)
  }
  return { child, output: () => output, stop }
}

/** Waits until `ready()` is true, failing early when the child exits. */
export async function waitFor(what: string, proc: Background, ready: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`${what} exited (${proc.child.exitCode ?? proc.child.signalCode}) before it was ready:\n${proc.output().slice(-4000)}`)
    }
    if (await ready()) return
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`${what} was not ready within ${timeoutMs / 1000} s:\n${proc.output().slice(-4000)}`)
}

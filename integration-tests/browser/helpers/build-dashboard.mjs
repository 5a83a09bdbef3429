#!/usr/bin/env node
/**
 * Builds the admin dashboard, with the plugin's widgets and routes from src/admin, into public/admin: the
 * folder `medusa start` serves at /app when NODE_ENV is not "development" (Medusa's admin loader,
 * @medusajs/medusa/dist/loaders/admin.js). Same build as `medusa build` makes of the admin (the options its
 * compiler passes to @medusajs/admin-bundler), without compiling the backend, which the browser suite runs
 * from source like the demo does.
 *
 * Skipped when public/admin was built from the same src/admin and dashboard version (public/admin/.source-hash),
 * so a second spec file or run pays nothing. The backend URL is "/": the dashboard calls the server it was
 * loaded from, whichever port a test run picked.
 *
 * Run by the browser suite; by hand: `node integration-tests/browser/helpers/build-dashboard.mjs`.
 */
import { createHash } from "node:crypto"
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import path from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")
const SOURCES = path.join(ROOT, "src/admin")
const OUT_DIR = path.join(ROOT, "public/admin")
const HASH_FILE = path.join(OUT_DIR, ".source-hash")
const require = createRequire(path.join(ROOT, "package.json"))

function files(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name)
      return statSync(full).isDirectory() ? files(full) : [full]
    })
}

function sourceHash() {
  const hash = createHash("sha256")
  for (const name of ["@medusajs/dashboard", "@medusajs/admin-bundler", "@medusajs/ui"]) {
    const manifest = path.join(ROOT, "node_modules", name, "package.json")
    hash.update(`${name}@${JSON.parse(readFileSync(manifest, "utf8")).version}\n`)
  }
  for (const file of files(SOURCES)) hash.update(`${path.relative(ROOT, file)}\n`).update(readFileSync(file))
  return hash.digest("hex")
}

const hash = sourceHash()
if (existsSync(path.join(OUT_DIR, "index.html")) && existsSync(HASH_FILE) && readFileSync(HASH_FILE, "utf8") === hash) {
  console.log(`dashboard in ${path.relative(ROOT, OUT_DIR)} is up to date`)
  process.exit(0)
}

const started = Date.now()
process.chdir(ROOT) // the bundler resolves its root (.medusa/client) and outDir from the working directory
const { build } = require("@medusajs/admin-bundler")
await build({
  disable: false,
  sources: [SOURCES],
  plugins: [],
  path: "/app",
  backendUrl: "/",
  maxUploadFileSize: 1024 * 1024,
  outDir: OUT_DIR,
})
writeFileSync(HASH_FILE, hash)
console.log(`dashboard built into ${path.relative(ROOT, OUT_DIR)} in ${((Date.now() - started) / 1000).toFixed(1)} s`)

#!/usr/bin/env node
/**
 * The npm registry mirror on this project's machines serves only the Linux builds of packages that ship
 * one native binary per platform (@swc/core-*, @rollup/rollup-*, …). npm then writes a lockfile without
 * the other platforms' optional packages, and `npm ci` refuses that lockfile as "Missing: … from lock
 * file". This adds the missing optional entries with their os/cpu, which npm ci skips on a platform
 * they do not match, as it does with a lockfile written against the full registry.
 *
 * Run after any `npm install` that changed package-lock.json: `npm run lock:fix`
 */
import { readFileSync, writeFileSync } from "node:fs"

const OS = ["android", "darwin", "freebsd", "linux", "openbsd", "openharmony", "win32", "sunos", "aix"]
const CPU = ["arm64", "x64", "ia32", "arm", "ppc64", "s390x", "riscv64", "loong64", "mips64el"]

const file = new URL("../package-lock.json", import.meta.url)
const lock = JSON.parse(readFileSync(file, "utf8"))
const packages = lock.packages
let added = 0

for (const [path, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`
    const nested = `${path}/node_modules/${name}`
    if (packages[key] || packages[nested]) continue
    const parts = name.split("/").pop().split("-")
    const os = parts.find((part) => OS.includes(part))
    const cpu = parts.find((part) => CPU.includes(part))
    if (!os || !/^\d+\.\d+\.\d+/.test(range)) continue
    packages[key] = {
      version: range,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
    }
    added++
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b)))
)
lock.packages = sorted
if (added) writeFileSync(file, JSON.stringify(lock, null, 2) + "\n")
console.log(`package-lock.json: ${added} optional platform entries added`)

import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"

/** Name and version of this package, for Dintero's integration headers. Works from src/ and from the build. */
export function pluginInfo(): { name: string; version: string; medusaVersion: string } {
  return {
    ...readPackage(__dirname, "medusa-payment-dintero"),
    medusaVersion: safeVersion("@medusajs/framework/package.json"),
  }
}

function readPackage(start: string, name: string): { name: string; version: string } {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json")
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8"))
      if (pkg.name === name) {
        return { name, version: String(pkg.version) }
      }
    }
  }
  return { name, version: "0.0.0" }
}

function safeVersion(packageJson: string): string {
  try {
    return String(require(packageJson).version)
  } catch {
    return "2"
  }
}

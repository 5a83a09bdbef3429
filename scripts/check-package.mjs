#!/usr/bin/env node
// What `npm publish` would upload, checked against what a store installing the package needs (issue 12):
// the built server code with its declarations, the emulator with its declarations and bin, the admin
// bundle, README, LICENSE and CHANGELOG, and nothing else; every `exports`, `typesVersions` and `bin`
// target in the pack; README links that resolve on npmjs.com (absolute, or to a file that ships).
// Run after `npm run build`: `node scripts/check-package.mjs` (exits 1 and lists every problem), or
// `node scripts/check-package.mjs --pack-json pack.json` with what `npm pack --json` printed.
import { execFileSync } from "node:child_process"
import { readFileSync, statSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"))

// Files the package may hold. Anything else (tests, sources, configs, docs/images, .map files…) fails.
const allowed = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^emulator\/README\.md$/, // npm always packs READMEs; the main README links to it
  /^\.medusa\/server\/src\/admin\/index\.m?js$/, // the admin bundle (medusa plugin:build)
  /^\.medusa\/server\/src\/(?!admin\/)[\w./[\]-]+\.(js|d\.ts)$/, // server code and its declarations
  /^emulator\/dist\/[\w./-]+\.(js|d\.ts)$/,
]
// Never shipped, even where a pattern above would let them through.
const forbidden = [/__tests__/, /\.spec\./, /\.unit\./, /(^|\/)medusa-config\./, /\.map$/, /(?<!\.d)\.tsx?$/]

export function packedFiles() {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  })
  const [result] = JSON.parse(out)
  return { files: result.files.map((f) => f.path), size: result.size, unpackedSize: result.unpackedSize }
}

/** Turns an exports/typesVersions pattern with one `*` into a RegExp over packed paths. */
function patternToRegExp(target) {
  const clean = target.replace(/^\.\//, "")
  const [before, after = ""] = clean.split("*")
  const escape = (s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")
  return clean.includes("*") ? new RegExp(`^${escape(before)}.+${escape(after)}$`) : new RegExp(`^${escape(clean)}$`)
}

function exportTargets(exportsField) {
  const targets = []
  const walk = (value) => {
    if (typeof value === "string") targets.push(value)
    else if (value && typeof value === "object") Object.values(value).forEach(walk)
  }
  walk(exportsField)
  return targets
}

/** Relative links and images of a markdown file: `[text](target)`, `![alt](target)`, `<img src="target">`. */
export function relativeLinks(markdown) {
  const targets = []
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, (m) => (m.includes("](") ? m : ""))
  for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1])
  for (const match of withoutCode.matchAll(/<img[^>]+src=["']([^"']+)["']/g)) targets.push(match[1])
  return targets.filter((t) => !/^(https?:|mailto:|#)/.test(t))
}

export function checkPackage({ files }) {
  const problems = []
  const packed = new Set(files)

  for (const file of files) {
    if (!allowed.some((re) => re.test(file)) || forbidden.some((re) => re.test(file))) {
      problems.push(`not meant to ship: ${file}`)
    }
  }
  for (const required of ["package.json", "README.md", "LICENSE", "CHANGELOG.md", ".medusa/server/src/admin/index.js", ".medusa/server/src/admin/index.mjs"]) {
    if (!packed.has(required)) problems.push(`missing: ${required}`)
  }

  // Every compiled module comes with its declarations, so `import … from "medusa-payment-dintero/…"` type-checks.
  for (const file of files) {
    if (/^(\.medusa\/server\/src\/(?!admin\/)|emulator\/dist\/).*\.js$/.test(file)) {
      const declaration = file.replace(/\.js$/, ".d.ts")
      if (!packed.has(declaration)) problems.push(`no declarations for ${file} (${declaration})`)
    }
  }

  for (const target of exportTargets(pkg.exports)) {
    const re = patternToRegExp(target)
    if (!files.some((f) => re.test(f))) problems.push(`exports target not in the package: ${target}`)
    // A wildcard directory export (modules/*, providers/*) must resolve for every directory it names.
    const dirWildcard = target.match(/^\.\/(.+)\/\*\/index\.js$/)
    if (dirWildcard) {
      const dirs = new Set(files.filter((f) => f.startsWith(`${dirWildcard[1]}/`)).map((f) => f.slice(dirWildcard[1].length + 1).split("/")[0]))
      for (const dir of dirs) {
        if (!packed.has(`${dirWildcard[1]}/${dir}/index.js`)) problems.push(`${target}: ${dir} has no index.js`)
      }
    }
  }
  for (const targets of Object.values(pkg.typesVersions?.["*"] ?? {})) {
    for (const target of targets) {
      if (!files.some((f) => patternToRegExp(target).test(f))) problems.push(`typesVersions target not in the package: ${target}`)
    }
  }
  for (const [name, target] of Object.entries(pkg.bin ?? {})) {
    const file = target.replace(/^\.\//, "")
    if (!packed.has(file)) problems.push(`bin ${name} not in the package: ${file}`)
    else if (!readFileSync(path.join(root, file), "utf8").startsWith("#!/usr/bin/env node\n")) {
      problems.push(`bin ${name} (${file}) does not start with #!/usr/bin/env node`)
    } else if ((statSync(path.join(root, file)).mode & 0o111) === 0) {
      // npm packs it 0755 only if it is executable here (npm install would chmod it anyway; `npx <tarball>` too).
      problems.push(`bin ${name} (${file}) is not executable`)
    }
  }

  // medusa plugin:build inlines source maps; they must carry their sources, which are not shipped.
  for (const file of files.filter((f) => f.endsWith(".js"))) {
    const text = readFileSync(path.join(root, file), "utf8")
    const map = text.match(/\/\/# sourceMappingURL=(\S+)\s*$/)
    if (!map) continue
    const url = map[1]
    if (!url.startsWith("data:")) {
      problems.push(`${file} points at a source map that does not ship: ${url}`)
      continue
    }
    const json = JSON.parse(Buffer.from(url.slice(url.indexOf(",") + 1), "base64").toString("utf8"))
    if (!Array.isArray(json.sourcesContent) || json.sourcesContent.some((s) => typeof s !== "string")) {
      problems.push(`${file}: its inline source map names sources that do not ship (${json.sources.join(", ")})`)
    }
  }

  // Links in the markdown that ships must resolve on npmjs.com: absolute, or to a file in the package.
  for (const doc of files.filter((f) => f.endsWith(".md"))) {
    for (const link of relativeLinks(readFileSync(path.join(root, doc), "utf8"))) {
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(doc), link.split("#")[0]))
      if (!packed.has(target)) problems.push(`${doc}: relative link ${link} does not ship (make it absolute)`)
    }
  }

  for (const field of ["repository", "homepage", "bugs", "engines", "peerDependencies", "license"]) {
    if (!pkg[field]) problems.push(`package.json has no ${field}`)
  }
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(pkg.version)) problems.push(`version ${pkg.version} is not semver`)
  const changelog = readFileSync(path.join(root, "CHANGELOG.md"), "utf8")
  if (!changelog.includes(`## [${pkg.version}]`) && !changelog.includes("## [Unreleased]")) {
    problems.push(`CHANGELOG.md has no section for ${pkg.version}`)
  }
  return problems
}

/** `--pack-json <file>`: the output of an `npm pack --json` already made (the install test's), instead of packing again. */
function packFromArgs() {
  const at = process.argv.indexOf("--pack-json")
  if (at < 0) return packedFiles()
  const [result] = JSON.parse(readFileSync(process.argv[at + 1], "utf8"))
  return { files: result.files.map((f) => f.path), size: result.size, unpackedSize: result.unpackedSize }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pack = packFromArgs()
  const problems = checkPackage(pack)
  console.log(`${pkg.name}@${pkg.version}: ${pack.files.length} files, ${(pack.size / 1024).toFixed(0)} kB packed, ${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked`)
  if (problems.length) {
    console.error(problems.map((p) => `  ✗ ${p}`).join("\n"))
    process.exit(1)
  }
  console.log("  ✓ allow-listed contents, declarations, exports, typesVersions, bin, source maps, README links")
}

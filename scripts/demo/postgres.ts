/**
 * PostgreSQL for the demo store: make sure the server answers (starting the local Debian/Ubuntu
 * cluster if it is down), create the demo database, and look up the admin user.
 */
import { execFile } from "node:child_process"
import { readdirSync } from "node:fs"
import { promisify } from "node:util"
import { Client } from "pg"
import { DemoError } from "./print"

const run = promisify(execFile)

export const DEFAULT_DATABASE_URL = "postgres://postgres@localhost:5432/medusa_dintero_demo"

export type DatabaseInfo = { url: string; name: string; server: string; created: boolean; startedServer: boolean }

/** The same server's maintenance database (`postgres`), to create the demo database from. */
function maintenanceUrl(url: URL): string {
  const copy = new URL(url.toString())
  copy.pathname = "/postgres"
  return copy.toString()
}

async function withClient<T>(connectionString: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 3000 })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

async function answers(url: string): Promise<string | undefined> {
  try {
    await withClient(url, (client) => client.query("select 1"))
    return undefined
  } catch (error) {
    return (error as Error).message || String((error as { code?: string }).code)
  }
}

/** `pg_ctlcluster <version> main start` for each installed version (Debian/Ubuntu packaging). */
async function startLocalCluster(): Promise<string | undefined> {
  let versions: string[]
  try {
    versions = readdirSync("/etc/postgresql")
  } catch {
    return "no /etc/postgresql: not a Debian/Ubuntu PostgreSQL installation"
  }
  const problems: string[] = []
  for (const version of versions) {
    try {
      await run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { timeout: 30_000 })
      return undefined
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string }
      const output = `${stderr ?? ""}\n${stdout ?? ""}`.split("\n").map((line) => line.trim()).filter(Boolean)
      problems.push(`pg_ctlcluster ${version} main start: ${output[0] ?? (error as Error).message.split("\n")[0]}`)
    }
  }
  return problems.join("; ") || "no cluster found in /etc/postgresql"
}

export async function ensureDatabase(databaseUrl = DEFAULT_DATABASE_URL): Promise<DatabaseInfo> {
  const url = new URL(databaseUrl)
  const name = decodeURIComponent(url.pathname.replace(/^\//, ""))
  const server = `${url.hostname}:${url.port || 5432}`
  const admin = maintenanceUrl(url)

  let startedServer = false
  let problem = await answers(admin)
  if (problem) {
    const startProblem = await startLocalCluster()
    if (!startProblem) {
      startedServer = true
      for (let i = 0; i < 30 && (problem = await answers(admin)); i++) await sleep(500)
    }
    if (problem) {
      throw new DemoError(`PostgreSQL does not answer on ${server}`, [
        `connecting as ${url.username || "(default user)"}: ${problem}`,
        ...(startProblem ? [`starting it: ${startProblem}`] : []),
        "Start PostgreSQL (e.g. `sudo pg_ctlcluster <version> main start`), or set DEMO_DATABASE_URL to a",
        "postgres:// URL of a server where that user may create databases.",
      ])
    }
  }

  const created = await withClient(admin, async (client) => {
    const exists = await client.query("select 1 from pg_database where datname = $1", [name])
    if (exists.rowCount) return false
    try {
      await client.query(`create database "${name.replace(/"/g, '""')}"`)
      return true
    } catch (error) {
      if ((error as { code?: string }).code === "42P04") return false // created concurrently
      throw new DemoError(`Could not create database ${name}: ${(error as Error).message}`)
    }
  })
  return { url: databaseUrl, name, server, created, startedServer }
}

/** True when `medusa user` already created this admin (user row and its email/password identity). */
export async function adminUserExists(databaseUrl: string, email: string): Promise<boolean> {
  try {
    return await withClient(databaseUrl, async (client) => {
      const { rows } = await client.query(
        `select exists(select 1 from "user" where email = $1 and deleted_at is null) as user_exists,
                exists(select 1 from provider_identity where entity_id = $1 and provider = 'emailpass') as identity_exists`,
        [email]
      )
      return rows[0].user_exists === true && rows[0].identity_exists === true
    })
  } catch {
    return false // tables not there yet: not migrated
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

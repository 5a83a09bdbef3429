/**
 * A second Medusa process on the multi-process spec's database, emulator and Redis: the repository's store
 * (medusa-config.ts, with the Redis layout the spec switches on through the environment) booted the way
 * `medusa start` and the test runner boot it (Medusa's loaders on an express app), listening on PORT.
 * Test-side only. Driven over stdin, one command a line:
 *
 *   renew <now>    runs renewal runs (renewUntilNothingDue) and prints `SUMMARY <json>`
 *   exit           shuts Medusa down and ends the process
 *
 * Prints `READY <port>` once it serves HTTP.
 */
import { createInterface } from "node:readline"
import path from "node:path"
import express from "express"
import { renewUntilNothingDue } from "../crash/renew-in-child"

async function main() {
  const loaders = require("@medusajs/medusa/loaders/index").default
  const app = express()
  const { container, shutdown } = await loaders({ directory: path.resolve(__dirname, "../.."), expressApp: app })
  const port = Number(process.env.PORT)
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const listening = app.listen(port, () => resolve(listening)).on("error", reject)
  })
  process.stdout.write(`READY ${port}\n`)

  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...args] = line.trim().split(/\s+/)
    if (command === "renew") {
      const summary = await renewUntilNothingDue(container, args[0])
      process.stdout.write(`SUMMARY ${JSON.stringify(summary)}\n`)
    } else if (command === "exit") {
      break
    }
  }
  server.close()
  await shutdown()
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error?.stack ?? error)
    process.exit(1)
  }
)

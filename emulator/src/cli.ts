#!/usr/bin/env node
/** `medusa-payment-dintero-emulator`: runs the Dintero emulator until SIGINT/SIGTERM. */
import { parseArgs } from "node:util"
import { DEFAULT_ACCOUNT } from "./context"
import { startDinteroEmulator } from "./emulator"

const HELP = `Usage: medusa-payment-dintero-emulator [options]

Runs a local emulator of Dintero's Checkout API (test use only).

Options:
  --port <n>                     Port to listen on (default 4550; 0 picks a free port)
  --host <host>                  Interface to bind (default 127.0.0.1)
  --account <id>                 Account id, T or P + 8 digits (default ${DEFAULT_ACCOUNT.accountId})
  --client-id <id>               OAuth client id (default ${DEFAULT_ACCOUNT.clientId})
  --client-secret <secret>       OAuth client secret (default ${DEFAULT_ACCOUNT.clientSecret})
  --signature-secret <secret>    Sign callbacks with Dintero-Signature using this secret
  --api-key <key>                x-api-key for /v1/admin/signature (default emulator-api-key)
  --token-ttl <seconds>          Access token lifetime (default 14400)
  --callback-retry-delay-ms <n>  Base delay of callback retries (default 1000)
  --express-callback-timeout-ms <n>  Timeout of Express callbacks to the merchant (default 60000, Dintero's)
  --callback-delay-scale <x>     Multiplies the callback URL's delay_callback (default 1; e.g. 0.01 in tests)
  --help                         Show this help
`

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a non-negative integer`)
  return parsed
}

function scale(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const parsed = Number(value)
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error("--callback-delay-scale must be a non-negative number")
  return parsed
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      account: { type: "string" },
      "client-id": { type: "string" },
      "client-secret": { type: "string" },
      "signature-secret": { type: "string" },
      "api-key": { type: "string" },
      "token-ttl": { type: "string" },
      "callback-retry-delay-ms": { type: "string" },
      "callback-delay-scale": { type: "string" },
      "express-callback-timeout-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  const account = {
    accountId: values.account ?? DEFAULT_ACCOUNT.accountId,
    clientId: values["client-id"] ?? DEFAULT_ACCOUNT.clientId,
    clientSecret: values["client-secret"] ?? DEFAULT_ACCOUNT.clientSecret,
  }
  const apiKey = values["api-key"] ?? "emulator-api-key"
  // Listen for signals before starting, so a stop request during startup is honoured too.
  let emulator: Awaited<ReturnType<typeof startDinteroEmulator>> | undefined
  const stop = () => {
    void (emulator?.close() ?? Promise.resolve()).then(() => process.exit(0))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
  emulator = await startDinteroEmulator({
    port: integer("port", values.port) ?? 4550,
    host: values.host ?? "127.0.0.1",
    accounts: [account],
    signatureSecret: values["signature-secret"],
    adminApiKey: apiKey,
    accessTokenTtlSeconds: integer("token-ttl", values["token-ttl"]),
    callbackRetryDelayMs: integer("callback-retry-delay-ms", values["callback-retry-delay-ms"]),
    callbackDelayScale: scale(values["callback-delay-scale"]),
    expressCallbackTimeoutMs: integer("express-callback-timeout-ms", values["express-callback-timeout-ms"]),
    log: (line) => process.stdout.write(`[dintero-emulator] ${line}\n`),
  })
  // The credentials are the emulator's own test values, printed so they can be pasted into a config.
  process.stdout.write(
    [
      "",
      `Dintero emulator running at ${emulator.url}`,
      `  API base URL:   ${emulator.baseUrl}`,
      `  Account id:     ${account.accountId}`,
      `  Client id:      ${account.clientId}`,
      `  Client secret:  ${account.clientSecret}`,
      `  Admin API key:  ${apiKey}`,
      `  Control API:    ${emulator.url}/__emulator/state`,
      "Press Ctrl+C to stop.",
      "",
    ].join("\n")
  )
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\nRun with --help for usage.\n`)
  process.exit(1)
})

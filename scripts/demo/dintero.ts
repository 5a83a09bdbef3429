/** The in-process Dintero emulator the demo store talks to, and what the demo reads back from it. */
import { randomBytes } from "node:crypto"
import { createWriteStream } from "node:fs"
import { DEFAULT_ACCOUNT, startDinteroEmulator, type DinteroEmulator } from "../../emulator/src"
import { DemoError, nokFromMinor } from "./print"

export type { DinteroEmulator }

export const DINTERO_PROVIDER_ID = "pp_dintero_dintero"
/** Dintero's test Visa card; the emulator authorizes it. */
export const TEST_CARD = "4111 1111 1111 1111"

export async function startEmulator(opts: { port: number; logFile: string }) {
  // A fresh secret per run: Dintero signs every callback with it and the plugin verifies each one.
  const callbackSecret = `demo-${randomBytes(16).toString("hex")}`
  const log = createWriteStream(opts.logFile, { flags: "w" })
  const emulator = await startDinteroEmulator({
    host: "127.0.0.1",
    port: opts.port,
    signatureSecret: callbackSecret,
    callbackRetryDelayMs: 500,
    callbackMaxRetryDelayMs: 5_000,
    log: (line) => log.write(`${new Date().toISOString()} ${line}\n`),
  })
  return {
    emulator,
    callbackSecret,
    account: DEFAULT_ACCOUNT,
    close: async () => {
      await emulator.close()
      await new Promise((resolve) => log.end(resolve))
    },
  }
}

export type TransactionSummary = {
  id: string
  status: string
  currency: string
  amount: number
  captured: number
  refunded: number
  card?: string
}

/** The transaction as Dintero holds it: status and captured/refunded totals (minor units). */
export function transactionSummary(emulator: DinteroEmulator, transactionId: string): TransactionSummary {
  const tx = emulator.transactions().find((t) => t.id === transactionId)
  if (!tx) throw new DemoError(`Dintero has no transaction ${transactionId}`)
  const sum = (name: string) =>
    tx.events.filter((e) => e.event === name && e.success).reduce((total, e) => total + (e.amount ?? 0), 0)
  return {
    id: tx.id,
    status: tx.status,
    currency: tx.currency,
    amount: tx.amount,
    captured: sum("CAPTURE"),
    refunded: sum("REFUND"),
    card: tx.card ? `${tx.card.brand} ${tx.card.masked_pan}` : undefined,
  }
}

export function describeTransaction(t: TransactionSummary): string {
  return (
    `Dintero ${t.status}: captured ${nokFromMinor(t.captured, t.currency)} of ${nokFromMinor(t.amount, t.currency)}, ` +
    `refunded ${nokFromMinor(t.refunded, t.currency)}`
  )
}

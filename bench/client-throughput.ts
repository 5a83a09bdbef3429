/**
 * How much the client's design buys on the hot path of a busy store: N transaction reads against the
 * Dintero emulator over real HTTP, done (a) the naive way — a new access token and a new TCP connection per
 * call, as a plugin without token caching or keep-alive would — and (b) through DinteroClient, which shares
 * one cached token and keeps connections alive in an undici pool. Prints both timings and their ratio,
 * measured in this one run, plus how many token requests each needed.
 *
 *   npm run bench            (or: ts-node --transpile-only bench/client-throughput.ts [calls] [concurrency])
 */
import { startDinteroEmulator } from "../emulator/src"
import { DinteroClient } from "../src/lib/dintero"

const CALLS = Number(process.argv[2] ?? 400)
const CONCURRENCY = Number(process.argv[3] ?? 8)
const CREDENTIALS = { accountId: "T12345678", clientId: "emulator-client-id", clientSecret: "emulator-client-secret" }

async function main() {
  const emulator = await startDinteroEmulator({ port: 0 })
  const client = new DinteroClient({
    ...CREDENTIALS,
    apiBaseUrl: emulator.baseUrl,
    checkoutBaseUrl: emulator.baseUrl,
    timeoutMs: 10_000,
    retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 100 },
    system: { name: "bench", version: "0", pluginName: "medusa-payment-dintero", pluginVersion: "bench" },
  })
  const session = await client.createSession({
    profile_id: "default",
    url: { return_url: "https://shop.example/return" },
    order: { amount: 10000, currency: "NOK", merchant_reference: "bench" },
  })
  const { transactionId } = await emulator.pay(session.id, { card: "4111111111111111" })

  const naiveRead = async () => {
    const basic = Buffer.from(`${CREDENTIALS.clientId}:${CREDENTIALS.clientSecret}`).toString("base64")
    const token = await fetch(`${emulator.baseUrl}/accounts/${CREDENTIALS.accountId}/auth/token`, {
      method: "POST",
      headers: { authorization: `Basic ${basic}`, "content-type": "application/json", connection: "close" },
      body: JSON.stringify({ grant_type: "client_credentials", audience: `https://api.dintero.com/v1/accounts/${CREDENTIALS.accountId}` }),
    }).then((response) => response.json() as Promise<{ access_token: string }>)
    const response = await fetch(`${emulator.baseUrl}/transactions/${transactionId}`, {
      headers: { authorization: `Bearer ${token.access_token}`, connection: "close" },
    })
    await response.json()
  }
  const clientRead = async () => {
    await client.getTransaction(transactionId!)
  }

  // Warm both paths (JIT, first connections), then measure.
  await run(naiveRead, 20)
  await run(clientRead, 20)
  const tokensBefore = emulator.accessTokensIssued()
  const naiveMs = await run(naiveRead, CALLS)
  const naiveTokens = emulator.accessTokensIssued() - tokensBefore
  const clientMs = await run(clientRead, CALLS)
  const clientTokens = emulator.accessTokensIssued() - tokensBefore - naiveTokens

  console.log(`${CALLS} transaction reads, ${CONCURRENCY} at a time, against the emulator on loopback`)
  console.log(`  naive (token + connection per call): ${naiveMs.toFixed(0)} ms, ${naiveTokens} token requests during the measured calls`)
  console.log(`  DinteroClient (cached token, pool):  ${clientMs.toFixed(0)} ms, ${clientTokens} token requests during the measured calls`)
  console.log(`  ratio: DinteroClient is ${(naiveMs / clientMs).toFixed(2)}× faster`)

  await client.close()
  await emulator.close()
}

async function run(call: () => Promise<void>, count: number): Promise<number> {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++
        await call()
      }
    })
  )
  return performance.now() - started
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

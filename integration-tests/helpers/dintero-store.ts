import { randomBytes } from "node:crypto"
import { startDinteroEmulator, type DinteroEmulator } from "../../emulator/src"
import { freePort } from "../../scripts/demo/ports"

export const CALLBACK_SECRET = "integration-callback-secret"

/**
 * Starts a Dintero emulator and points the development store's provider at it (medusa-config.ts reads
 * these variables when the runner boots Medusa). Call at the top level of a spec, before
 * medusaIntegrationTestRunner, so it runs before the runner's own beforeAll.
 */
export function useDinteroEmulator(options: { callbackSecret?: string | null; autoCapture?: boolean; captureOnFulfillment?: boolean } = {}) {
  const handle = {} as { emulator: DinteroEmulator; backendUrl: string }
  const secret = options.callbackSecret === undefined ? CALLBACK_SECRET : options.callbackSecret

  beforeAll(async () => {
    handle.emulator = await startDinteroEmulator({
      signatureSecret: secret ?? undefined,
      callbackRetryDelayMs: 50,
      // The plugin asks for delay_callback=10 (its default); a hundredth of it keeps the suites fast while
      // callbacks still arrive after the request that caused them, as with Dintero.
      callbackDelayScale: 0.01,
    })
    // The callback URL is built from the backend URL at boot, so fix the port Medusa will listen on.
    const port = await freePort()
    handle.backendUrl = `http://localhost:${port}`
    Object.assign(process.env, {
      PORT: String(port),
      MEDUSA_BACKEND_URL: handle.backendUrl,
      DINTERO_API_BASE_URL: handle.emulator.baseUrl,
      DINTERO_CHECKOUT_BASE_URL: handle.emulator.baseUrl,
      DINTERO_CALLBACK_SECRET: secret ?? "",
      DINTERO_AUTO_CAPTURE: options.autoCapture ? "true" : "false",
      DINTERO_CAPTURE_ON_FULFILLMENT: options.captureOnFulfillment ? "true" : "false",
      DINTERO_RETRY_BASE_DELAY_MS: "20",
      DINTERO_SAVE_CARDS: "subscriptions",
      DINTERO_TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    })
  })

  beforeEach(() => handle.emulator?.reset())

  afterAll(async () => {
    await handle.emulator?.close()
  })

  return handle
}

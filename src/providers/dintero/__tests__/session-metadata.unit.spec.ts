import { startDinteroEmulator, type DinteroEmulator } from "../../../../emulator/src"
import { DinteroClient } from "../../../lib/dintero"
import { DinteroProviderService } from "../service"

/**
 * The provider ties a Dintero session to the Medusa payment session through the session's metadata. Dintero
 * recommends `ext_`-prefixed keys (payments spec, `Metadata`), so that is what it writes; sessions created
 * before the prefix carry the old key and must still be recognised, or deleting their Medusa session would
 * leave them payable.
 */

let emulator: DinteroEmulator
let dintero: DinteroClient

beforeAll(async () => {
  emulator = await startDinteroEmulator()
  dintero = new DinteroClient({
    accountId: "T12345678",
    clientId: "emulator-client-id",
    clientSecret: "emulator-client-secret",
    apiBaseUrl: emulator.baseUrl,
    checkoutBaseUrl: emulator.baseUrl,
    timeoutMs: 2000,
    retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 100 },
    system: { name: "medusa", version: "test", pluginName: "test", pluginVersion: "test" },
  })
})
beforeEach(() => emulator.reset())
afterAll(async () => {
  await dintero.close()
  await emulator.close()
})

function provider() {
  return new DinteroProviderService({ accountHolderService: {} } as any, {
    accountId: "T12345678",
    clientId: "emulator-client-id",
    clientSecret: "emulator-client-secret",
    backendUrl: "https://shop.example",
    returnUrl: "https://shop.example/return",
    apiBaseUrl: emulator.baseUrl,
    checkoutBaseUrl: emulator.baseUrl,
    maxRetries: 0,
    timeoutMs: 2000,
  })
}

async function dinteroSession(medusaSessionId: string, metadata: Record<string, string>) {
  const created = await dintero.createSession({
    profile_id: "default",
    url: { return_url: "https://shop.example/return" },
    order: { amount: 10000, currency: "NOK", merchant_reference: medusaSessionId, items: [{ line_id: "1", quantity: 1, amount: 10000 }] },
    metadata,
  })
  return { dintero: { session_id: created.id, medusa_session_id: medusaSessionId, amount: 10000, currency: "NOK" } }
}

const cancelled = async (data: { dintero: { session_id: string } }) =>
  Boolean((await dintero.getSession(data.dintero.session_id)).cancelled_at)

describe("the Dintero session's link to the Medusa payment session", () => {
  it("a deleted Medusa payment session cancels the Dintero session that names it under the ext_ key", async () => {
    const data = await dinteroSession("payses_new", { ext_medusa_payment_session_id: "payses_new" })
    await provider().deletePayment({ data })
    expect(await cancelled(data)).toBe(true)
  })

  it("a Dintero session created before the ext_ prefix (old key) is still cancelled", async () => {
    const data = await dinteroSession("payses_old", { medusa_payment_session_id: "payses_old" })
    await provider().deletePayment({ data })
    expect(await cancelled(data)).toBe(true)
  })

  it("a Dintero session that names another Medusa payment session is left alone", async () => {
    const data = await dinteroSession("payses_mine", { ext_medusa_payment_session_id: "payses_someone_else" })
    await provider().deletePayment({ data })
    expect(await cancelled(data)).toBe(false)
  })
})

/**
 * Checkout Express against a real merchant HTTP server: the shipping address and discount code callbacks,
 * the shipping option choice, the pay rules, the session lock of PUT /v1/sessions, and the transaction.
 */
import http from "node:http"
import type { AddressInfo } from "node:net"
import { request, sessionBody, useEmulator } from "./helpers"

interface Seen {
  path: string
  body: any
}
type Answer = { status: number; body?: unknown; delayMs?: number }

/** A merchant backend answering Dintero's express callbacks with whatever the test queues up. */
async function startMerchant() {
  const seen: Seen[] = []
  let answer: (seen: Seen) => Answer = () => ({ status: 200, body: { shipping_options: [] } })
  const server = http.createServer((req, res) => {
    let raw = ""
    req.on("data", (chunk) => (raw += chunk))
    req.on("end", () => {
      const entry = { path: req.url!, body: JSON.parse(raw) }
      seen.push(entry)
      const a = answer(entry)
      setTimeout(() => {
        if (res.destroyed) return
        res.writeHead(a.status, { "content-type": "application/json" })
        res.end(a.body === undefined ? "" : JSON.stringify(a.body))
      }, a.delayMs ?? 0)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    answer: (fn: (seen: Seen) => Answer) => (answer = fn),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

const HOME = { id: "home", line_id: "home-1", amount: 9900, vat_amount: 1980, vat: 25, title: "Home delivery", operator: "Bring" }
const PICKUP = { id: "pickup", line_id: "pickup-1", amount: 4900, vat_amount: 980, vat: 25, title: "Pick-up point", operator: "Posten", delivery_method: "pick_up" }
const ITEM = { id: "chair-1", line_id: "1", description: "Stablestol", quantity: 1, amount: 29990, vat_amount: 5998, vat: 25 }
const ADDRESS = {
  first_name: "Kari", last_name: "Nordmann", address_line: "Storgata 1", postal_code: "0155", postal_place: "Oslo",
  country: "NO", email: "kari@example.com", phone_number: "+4799999999",
}

describe("Checkout Express", () => {
  const t = useEmulator({ expressCallbackTimeoutMs: 300 })
  let merchant: Awaited<ReturnType<typeof startMerchant>>
  beforeAll(async () => {
    merchant = await startMerchant()
  })
  afterAll(() => merchant.close())
  beforeEach(() => {
    merchant.seen.length = 0
  })

  const control = (path: string, body: unknown = {}) => request(`${t.emu.url}/__emulator${path}`, { method: "POST", body })

  async function expressSession(express: Record<string, any> = {}, extra: Record<string, any> = {}) {
    const res = await t.merchant.createSession(
      sessionBody({
        order: { amount: 29990, vat_amount: 5998, items: [ITEM], shipping_option: undefined },
        express: { shipping_options: [], shipping_address_callback_url: `${merchant.url}/address`, ...express },
        ...extra,
      })
    )
    expect(res.status).toBe(200)
    return res.body.id as string
  }

  /** The merchant prices shipping by postal code; the order is unchanged. */
  const optionsForAddress = (seen: Seen): Answer => ({
    status: 200,
    body: {
      shipping_options: seen.body.order.shipping_address.postal_code.startsWith("9") ? [PICKUP] : [HOME, PICKUP],
      order: { amount: seen.body.order.amount, vat_amount: seen.body.order.vat_amount, currency: "NOK", items: seen.body.order.items },
    },
  })

  describe("session create", () => {
    it("refuses shipping options without the required fields, in Dintero's error shape", async () => {
      const res = await t.merchant.createSession(
        sessionBody({ express: { shipping_options: [{ id: "x", line_id: "x", amount: 100, title: "X" }], shipping_mode: "sometimes" } })
      )
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe("INVALID_REQUEST")
      const paths = res.body.error.errors.map((e: any) => e.path)
      expect(paths).toEqual(expect.arrayContaining(["express.shipping_options[0].operator", "express.shipping_mode"]))
    })

    it("refuses a preselected shipping option that is not offered, and amounts that do not add up", async () => {
      const notOffered = await t.merchant.createSession(sessionBody({ express: { shipping_options: [HOME] } }))
      expect(notOffered.status).toBe(400)
      expect(notOffered.body.error.errors[0].path).toBe("order.shipping_option")
      const wrongTotal = await t.merchant.createSession(
        sessionBody({ order: { amount: 29990, items: [ITEM], shipping_option: HOME }, express: { shipping_options: [HOME] } })
      )
      expect(wrongTotal.status).toBe(400)
      expect(wrongTotal.body.error.errors[0].path).toBe("order.amount")
    })

    it("refuses discount_codes without a callback_url and unknown customer types", async () => {
      const res = await t.merchant.createSession(
        sessionBody({ express: { shipping_options: [], discount_codes: { max_count: 0 }, customer_types: ["b2x"] } })
      )
      expect(res.status).toBe(400)
      const paths = res.body.error.errors.map((e: any) => e.path)
      expect(paths).toEqual(
        expect.arrayContaining(["express.discount_codes.callback_url", "express.discount_codes.max_count", "express.customer_types"])
      )
    })
  })

  describe("shipping address", () => {
    it("posts the session with the address to the merchant and applies the options and order it answers", async () => {
      const id = await expressSession()
      merchant.answer((seen) => ({
        status: 200,
        body: {
          shipping_options: [HOME, PICKUP],
          // The merchant adds a gift wrap line now that it knows where the order goes.
          order: {
            amount: 30990, vat_amount: 6198, currency: "NOK",
            items: [ITEM, { id: "wrap", line_id: "2", description: "Gift wrap", quantity: 1, amount: 1000, vat_amount: 200, vat: 25 }],
          },
        },
      }))
      const res = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      expect(res.status).toBe(200)
      expect(res.body.applied).toBe(true)
      expect(res.body.callback.status).toBe(200)
      expect(merchant.seen).toHaveLength(1)
      expect(merchant.seen[0].path).toBe("/address")
      expect(merchant.seen[0].body.id).toBe(id)
      expect(merchant.seen[0].body.order.shipping_address).toEqual(ADDRESS)
      const session = res.body.session
      expect(session.express.shipping_options.map((o: any) => o.line_id)).toEqual(["home-1", "pickup-1"])
      expect(session.order.items).toHaveLength(2)
      expect(session.order.amount).toBe(30990)
      expect(session.order.shipping_address).toEqual(ADDRESS)
      expect(session.events.map((e: any) => e.name)).toEqual(expect.arrayContaining(["UPDATE_SESSION", "SET_SHIPPING_ADDRESS"]))
      const callbacks = (await request(`${t.emu.url}/__emulator/callbacks`)).body
      expect(callbacks).toEqual([expect.objectContaining({ kind: "express_shipping_address", status: 200, outcome: "delivered" })])
    })

    it("supports the wallet one-click address (country and postal code only)", async () => {
      const id = await expressSession()
      merchant.answer(optionsForAddress)
      const res = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: { country: "NO", postal_code: "9008" } })
      expect(res.body.applied).toBe(true)
      expect(merchant.seen[0].body.order.shipping_address).toEqual({ country: "NO", postal_code: "9008" })
      expect(res.body.session.express.shipping_options).toEqual([PICKUP])
    })

    it("refuses an address without country or postal code, without calling the merchant", async () => {
      const id = await expressSession()
      const res = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: { country: "NO" } })
      expect(res.status).toBe(400)
      expect(res.body.error.errors[0].path).toBe("shipping_address.postal_code")
      expect(merchant.seen).toHaveLength(0)
    })

    it("does not apply an answer that comes after the timeout, and does not retry", async () => {
      const id = await expressSession()
      merchant.answer(() => ({ status: 200, body: { shipping_options: [HOME] }, delayMs: 800 }))
      const res = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      expect(res.status).toBe(200)
      expect(res.body.applied).toBe(false)
      expect(res.body.callback).toEqual({ status: null, body: null, error: "the merchant did not answer in time" })
      expect(res.body.session.order.shipping_address).toBeUndefined()
      expect(res.body.session.express.shipping_options).toEqual([])
      await new Promise((resolve) => setTimeout(resolve, 900))
      expect(merchant.seen).toHaveLength(1)
      const session = await t.merchant.call("GET", `/sessions/${id}`)
      expect(session.body.express.shipping_options).toEqual([])
      expect(session.body.events.map((e: any) => e.name)).not.toContain("SET_SHIPPING_ADDRESS")
    })

    it("does not apply an order whose amount does not add up", async () => {
      const id = await expressSession()
      merchant.answer(() => ({ status: 200, body: { shipping_options: [HOME], order: { amount: 100, currency: "NOK", items: [ITEM] } } }))
      const res = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      expect(res.body.applied).toBe(false)
      expect(res.body.callback.status).toBe(200)
      expect(res.body.callback.error).toMatch(/order\.amount \(100\)/)
      expect(res.body.session.order.amount).toBe(29990)
      expect(res.body.session.order.shipping_address).toBeUndefined()
    })

    it("does not apply a non-200 answer", async () => {
      const id = await expressSession()
      merchant.answer(() => ({ status: 500, body: { error: { message: "boom" } } }))
      const res = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      expect(res.body).toMatchObject({ applied: false, callback: { status: 500, error: "boom" } })
    })

    it("refuses ordinary sessions in Dintero's error shape", async () => {
      const plain = await t.merchant.createSession()
      const res = await control(`/sessions/${plain.body.id}/express/shipping-address`, { shipping_address: ADDRESS })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe("NOT_EXPRESS_SESSION")
    })
  })

  describe("shipping option and payment", () => {
    it("sets a known option and refuses an unknown one", async () => {
      const id = await expressSession()
      merchant.answer(optionsForAddress)
      await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      const unknown = await control(`/sessions/${id}/express/shipping-option`, { id: "drone" })
      expect(unknown.status).toBe(400)
      expect(unknown.body.error.code).toBe("UNKNOWN_SHIPPING_OPTION")
      const res = await control(`/sessions/${id}/express/shipping-option`, { id: "home" })
      expect(res.status).toBe(200)
      expect(res.body.session.order.shipping_option).toEqual(HOME)
      expect(res.body.session.order.amount).toBe(29990 + 9900)
      expect(res.body.session.order.vat_amount).toBe(5998 + 1980)
      expect(res.body.session.events.map((e: any) => e.name)).toContain("SET_SHIPPING_OPTION")
    })

    it("keeps the chosen option at its new price or drops it when the new address no longer offers it", async () => {
      const id = await expressSession()
      merchant.answer(optionsForAddress)
      await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      await control(`/sessions/${id}/express/shipping-option`, { id: "home" })
      // The northern address offers pick-up only: home delivery is dropped and the total follows.
      const res = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: { ...ADDRESS, postal_code: "9008" } })
      expect(res.body.applied).toBe(true)
      expect(merchant.seen[1].body.order.shipping_option).toEqual(HOME)
      expect(res.body.session.order.shipping_option).toBeUndefined()
      expect(res.body.session.order.amount).toBe(29990)
    })

    it("refuses payment without an address, without a shipping option, and pays with both", async () => {
      const id = await expressSession()
      const noAddress = await control(`/sessions/${id}/pay`, {})
      expect(noAddress.status).toBe(400)
      expect(noAddress.body.error).toMatchObject({ code: "EXPRESS_INCOMPLETE", message: "Enter a shipping address before paying" })
      merchant.answer(optionsForAddress)
      await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      const noOption = await control(`/sessions/${id}/pay`, {})
      expect(noOption.status).toBe(400)
      expect(noOption.body.error.message).toBe("Choose a shipping option before paying")
      await control(`/sessions/${id}/express/shipping-option`, { id: "pickup" })
      const paid = await control(`/sessions/${id}/pay`, {})
      expect(paid.status).toBe(200)
      const tx = await t.merchant.call("GET", `/transactions/${paid.body.transactionId}`)
      expect(tx.body.amount).toBe(29990 + 4900)
      expect(tx.body.shipping_option).toEqual(PICKUP)
      expect(tx.body.items).toEqual([
        ITEM,
        { id: "pickup", line_id: "pickup-1", description: "Pick-up point", quantity: 1, amount: 4900, vat_amount: 980, vat: 25, type: "shipping" },
      ])
      expect(tx.body.shipping_address).toEqual(ADDRESS)
      expect(tx.body.customer).toMatchObject({ email: "kari@example.com", phone_number: "+4799999999" })
    })

    it("with shipping_not_required pays with an address and no option", async () => {
      const id = await expressSession({ shipping_mode: "shipping_not_required", shipping_address_callback_url: undefined })
      const set = await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      expect(set.body).toMatchObject({ applied: true, callback: null })
      const paid = await control(`/sessions/${id}/pay`, {})
      expect(paid.body.transactionId).toBeDefined()
    })

    it("refuses payment when the amount is not the items plus the chosen shipping", async () => {
      // Without items the create-time sum check has no lines to check; the payer's side still refuses to pay
      // an amount that the items and the shipping option do not explain.
      const res0 = await t.merchant.createSession(
        sessionBody({ order: { amount: 29990, items: undefined, shipping_option: undefined }, express: { shipping_options: [], shipping_mode: "shipping_not_required" } })
      )
      expect(res0.status).toBe(200)
      const id = res0.body.id
      await control(`/sessions/${id}/express/shipping-address`, { shipping_address: ADDRESS })
      const res = await control(`/sessions/${id}/pay`, {})
      expect(res.status).toBe(400)
      expect(res.body.error.message).toMatch(/does not equal the items and the chosen shipping option \(0\)/)
    })
  })

  describe("discount codes", () => {
    const discounts = (max = 2) => ({
      express: { discount_codes: { max_count: max, callback_url: `${merchant.url}/discounts` } },
      extra: { configuration: { discounts: { express_discount_codes: { enabled: true } } } },
    })

    it("applies a valid code (order with the discounted line) and refuses an invalid one with the merchant's message", async () => {
      const { express, extra } = discounts()
      const id = await expressSession(express, extra)
      merchant.answer((seen) =>
        seen.body.order.discount_codes.includes("SAVE10")
          ? {
              status: 200,
              body: {
                order: {
                  amount: 26991, vat_amount: 5398, currency: "NOK",
                  items: [{ ...ITEM, amount: 26991, vat_amount: 5398, discount_lines: [{ amount: 2999, discount_type: "manual", description: "SAVE10" }] }],
                },
                shipping_options: [HOME],
              },
            }
          : { status: 400, body: { error: { code: "INVALID_DISCOUNT_CODE", message: "The code BOGUS is not valid" } } }
      )
      const invalid = await control(`/sessions/${id}/express/discount-codes`, { discount_codes: ["BOGUS"] })
      expect(invalid.status).toBe(200)
      expect(invalid.body).toMatchObject({ applied: false, callback: { status: 400, error: "The code BOGUS is not valid" } })
      expect(invalid.body.session.order.amount).toBe(29990)
      const valid = await control(`/sessions/${id}/express/discount-codes`, { discount_codes: ["SAVE10"] })
      expect(valid.body.applied).toBe(true)
      expect(merchant.seen.at(-1)!.path).toBe("/discounts")
      expect(merchant.seen.at(-1)!.body.order.discount_codes).toEqual(["SAVE10"])
      expect(valid.body.session.order).toMatchObject({ amount: 26991, discount_codes: ["SAVE10"] })
      expect(valid.body.session.express.shipping_options).toEqual([HOME])
      expect(valid.body.session.events.map((e: any) => e.name)).toContain("SET_DISCOUNT_CODES")
    })

    it("refuses more codes than max_count and sessions without discount codes enabled", async () => {
      const { express, extra } = discounts(1)
      const id = await expressSession(express, extra)
      const tooMany = await control(`/sessions/${id}/express/discount-codes`, { discount_codes: ["A", "B"] })
      expect(tooMany.status).toBe(400)
      expect(tooMany.body.error.code).toBe("TOO_MANY_DISCOUNT_CODES")
      const disabled = await expressSession(express)
      const res = await control(`/sessions/${disabled}/express/discount-codes`, { discount_codes: ["A"] })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe("DISCOUNT_CODES_NOT_ENABLED")
      expect(merchant.seen).toHaveLength(0)
    })
  })

  describe("session lock (PUT /v1/sessions/{id})", () => {
    const update = { order: { amount: 31990, vat_amount: 6398, items: [{ ...ITEM, amount: 31990, vat_amount: 6398 }] } }

    it("refuses a PUT without the lock, accepts it after the lock and releases the lock afterwards", async () => {
      const id = await expressSession()
      const refused = await t.merchant.call("PUT", `/sessions/${id}`, update)
      expect(refused.status).toBe(400)
      expect(refused.body.error.code).toBe("SESSION_NOT_LOCKED")
      const lock = await control(`/sessions/${id}/lock`)
      expect(lock.body).toEqual({ locked: true, pay_lock_id: expect.any(String) })
      const locked = await control(`/sessions/${id}/pay`, {})
      expect(locked.status).toBe(400)
      expect(locked.body.error.code).toBe("SESSION_LOCKED")
      const accepted = await t.merchant.call("PUT", `/sessions/${id}`, update)
      expect(accepted.status).toBe(200)
      expect(accepted.body.order.amount).toBe(31990)
      // remove_lock defaults to true: the next PUT needs a new lock.
      const again = await t.merchant.call("PUT", `/sessions/${id}`, update)
      expect(again.body.error.code).toBe("SESSION_NOT_LOCKED")
    })

    it("keeps the lock with remove_lock: false until unlocked", async () => {
      const id = await expressSession()
      await control(`/sessions/${id}/lock`)
      expect((await t.merchant.call("PUT", `/sessions/${id}`, { ...update, remove_lock: false })).status).toBe(200)
      expect((await t.merchant.call("PUT", `/sessions/${id}`, update)).status).toBe(200)
      await control(`/sessions/${id}/lock`)
      expect((await control(`/sessions/${id}/unlock`)).body).toEqual({ locked: false })
      expect((await t.merchant.call("PUT", `/sessions/${id}`, update)).body.error.code).toBe("SESSION_NOT_LOCKED")
    })

    it("lets server-side updates through with update_without_lock=true", async () => {
      const id = await expressSession()
      const res = await t.merchant.call("PUT", `/sessions/${id}?update_without_lock=true`, update)
      expect(res.status).toBe(200)
    })
  })

  describe("hosted page", () => {
    const form = (id: string, fields: Record<string, string>) =>
      request(`${t.emu.url}/v1/view/${id}/express`, {
        method: "POST",
        body: new URLSearchParams(fields).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })
    const payForm = (id: string) =>
      request(`${t.emu.url}/v1/view/${id}/pay`, {
        method: "POST",
        body: new URLSearchParams({ action: "pay", card: "4111111111111111", expiry: "12/39", cvc: "123" }).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      })

    it("walks the payer through address, shipping option and payment, with pay disabled until then", async () => {
      const id = await expressSession()
      merchant.answer(optionsForAddress)
      const first = await request(`${t.emu.url}/v1/view/${id}`)
      expect(first.body).toContain('data-testid="express-address-form"')
      expect(first.body).toContain('data-testid="express-wallet-form"')
      expect(first.body).toMatch(/data-testid="pay-button" disabled/)
      expect(first.body).toContain("Enter a shipping address before paying")
      const refused = await payForm(id)
      expect(refused.body).toContain('data-testid="checkout-error"')
      expect(t.emu.transactions()).toHaveLength(0)

      const withAddress = await form(id, { action: "address", ...ADDRESS })
      expect(withAddress.body).toContain('data-testid="express-shipping-option-home-1"')
      expect(withAddress.body).toContain("Choose a shipping option before paying")
      const withOption = await form(id, { action: "shipping_option", shipping_option: "home-1" })
      expect(withOption.body).toMatch(/data-testid="express-shipping-option-home-1" data-option-id="home" checked/)
      expect(withOption.body).toContain('data-testid="order-total">398.90 NOK<')
      expect(withOption.body).not.toMatch(/data-testid="pay-button" disabled/)
      const paid = await payForm(id)
      expect(paid.status).toBe(302)
      expect(t.emu.transactions()[0]).toMatchObject({ amount: 39890, shipping_option: HOME })
    })

    it("shows a refused merchant answer and an invalid discount code to the payer", async () => {
      const id = await expressSession(
        { discount_codes: { max_count: 1, callback_url: `${merchant.url}/discounts` } },
        { configuration: { discounts: { express_discount_codes: { enabled: true } } } }
      )
      merchant.answer(() => ({ status: 503 }))
      const failed = await form(id, { action: "wallet", country: "no", postal_code: "0155" })
      expect(failed.body).toContain("The shop could not use this address: the merchant answered HTTP 503")
      expect(merchant.seen[0].body.order.shipping_address).toEqual({ country: "NO", postal_code: "0155" })
      merchant.answer(() => ({ status: 400, body: { error: { code: "INVALID_DISCOUNT_CODE", message: "Unknown code" } } }))
      const invalid = await form(id, { action: "discount", discount_code: "NOPE" })
      expect(invalid.body).toContain("The discount code was not accepted: Unknown code")
    })

    it("answers the Web SDK's messages in the iframe and shows the lock", async () => {
      const id = await expressSession()
      const embedded = await request(`${t.emu.url}/?sid=${id}&sdk=0.8.30&ui=inline`)
      expect(embedded.body).toContain('"LockSession"')
      expect(embedded.body).toContain('"RefreshSession"')
      expect(embedded.body).toContain("SessionLoaded")
      const lock = await request(`${t.emu.url}/v1/view/${id}/lock`, { method: "POST" })
      expect(lock.body).toEqual({ locked: true, pay_lock_id: expect.any(String) })
      const locked = await request(`${t.emu.url}/v1/view/${id}`)
      expect(locked.body).toContain('data-testid="session-locked"')
      expect(locked.body).toMatch(/data-testid="pay-button" disabled/)
    })
  })
})

import type { DinteroEmulator } from "../index"
import { Merchant, startEmulator, useEmulator } from "./helpers"

describe("emulator: transaction operations", () => {
  const ctx = useEmulator()

  const capture = (id: string, body: unknown) => ctx.merchant.call("POST", `/transactions/${id}/capture`, body)
  const refund = (id: string, body: unknown) => ctx.merchant.call("POST", `/transactions/${id}/refund`, body)
  const voidTx = (id: string) => ctx.merchant.call("POST", `/transactions/${id}/void`)

  it("captures the full amount with capture_reference as the event reference", async () => {
    const id = await ctx.merchant.paidTransaction()
    const res = await capture(id, { amount: 33890, capture_reference: "cap_1" })
    expect(res.status).toBe(200)
    expect(res.body.status).toBe("CAPTURED")
    expect(res.body.events.at(-1)).toMatchObject({
      event: "CAPTURE",
      amount: 33890,
      event_reference: "cap_1",
      transaction_status: "CAPTURED",
      success: true,
    })
  })

  it("captures partially, then the rest", async () => {
    const id = await ctx.merchant.paidTransaction()
    expect((await capture(id, { amount: 10000 })).body.status).toBe("PARTIALLY_CAPTURED")
    expect((await capture(id, { amount: 23890 })).body.status).toBe("CAPTURED")
  })

  it("rejects a capture beyond the authorized amount", async () => {
    const id = await ctx.merchant.paidTransaction()
    await capture(id, { amount: 30000 })
    const res = await capture(id, { amount: 3891 })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: "INVALID_AMOUNT", message: expect.stringContaining("3890") })
  })

  it("rejects capture amounts that are missing, zero or not integers", async () => {
    const id = await ctx.merchant.paidTransaction()
    for (const body of [{}, { amount: 0 }, { amount: 100.5 }, { amount: "100" }]) {
      expect((await capture(id, body)).status).toBe(400)
    }
  })

  it("checks capture items: known line_ids whose amounts add up to the amount", async () => {
    const id = await ctx.merchant.paidTransaction()
    const unknownLine = await capture(id, { amount: 29990, items: [{ line_id: "nope", amount: 29990 }] })
    expect(unknownLine.status).toBe(400)
    const wrongSum = await capture(id, { amount: 29990, items: [{ line_id: "1", amount: 100 }] })
    expect(wrongSum.status).toBe(400)
    const ok = await capture(id, { amount: 29990, items: [{ line_id: "1", amount: 29990, quantity: 1 }] })
    expect(ok.status).toBe(200)
    expect(ok.body.events.at(-1).items).toEqual([{ line_id: "1", amount: 29990, quantity: 1 }])
  })

  it("checks items the same way on captures and refunds: each line once, the sum exact, decimal quantities allowed", async () => {
    const id = await ctx.merchant.paidTransaction()
    const twice = await capture(id, { amount: 200, items: [{ line_id: "1", amount: 100 }, { line_id: "1", amount: 100 }] })
    expect(twice.status).toBe(400)
    expect(twice.body.error.message).toMatch(/listed twice/)
    const part = await capture(id, {
      amount: 10000,
      items: [
        { line_id: "1", amount: 8850, vat_amount: 1770, quantity: 0.295 },
        { line_id: "shipping", amount: 1150, vat_amount: 230, quantity: 0.295 },
      ],
    })
    expect(part.status).toBe(200)
    expect((await refund(id, { amount: 100, items: [{ line_id: "nope", amount: 100 }] })).status).toBe(400)
    const wrongSum = await refund(id, { amount: 100, items: [{ line_id: "1", amount: 99 }] })
    expect(wrongSum.status).toBe(400)
    expect(wrongSum.body.error.code).toBe("INVALID_AMOUNT")
    const ok = await refund(id, { amount: 100, items: [{ line_id: "1", amount: 100, quantity: 0.003 }] })
    expect(ok.status).toBe(200)
    expect(ok.body.events.at(-1)).toMatchObject({ event: "REFUND", amount: 100, items: [{ line_id: "1", amount: 100, quantity: 0.003 }] })
    expect(ctx.emu.transactions().find((t) => t.id === id)!.events.filter((e) => e.event === "CAPTURE")).toHaveLength(1)
  })

  it("releases the rest of the authorization with final_capture (dintero_psp)", async () => {
    const id = await ctx.merchant.paidTransaction()
    const res = await capture(id, { amount: 10000, final_capture: true })
    expect(res.body.status).toBe("CAPTURED")
    expect(res.body.events.at(-1)).toMatchObject({ event: "VOID", amount: 23890 })
    expect((await capture(id, { amount: 1 })).status).toBe(400)
  })

  it("refuses to refund before anything is captured", async () => {
    const id = await ctx.merchant.paidTransaction()
    const res = await refund(id, { amount: 100 })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe("INVALID_STATE_CHANGE")
  })

  it("refunds partially and fully within the captured amount", async () => {
    const id = await ctx.merchant.paidTransaction()
    await capture(id, { amount: 33890 })
    const partial = await refund(id, { amount: 3900, reason: "shipping", refund_reference: "ref_1" })
    expect(partial.body.status).toBe("PARTIALLY_REFUNDED")
    expect(partial.body.events.at(-1)).toMatchObject({ event: "REFUND", amount: 3900, event_reference: "ref_1" })
    expect((await refund(id, { amount: 29991 })).status).toBe(400)
    expect((await refund(id, { amount: 29990 })).body.status).toBe("REFUNDED")
    expect((await refund(id, { amount: 1 })).status).toBe(400)
  })

  it("reports PARTIALLY_CAPTURED_REFUNDED when only part was captured", async () => {
    const id = await ctx.merchant.paidTransaction()
    await capture(id, { amount: 10000 })
    expect((await refund(id, { amount: 10001 })).status).toBe(400)
    expect((await refund(id, { amount: 10000 })).body.status).toBe("PARTIALLY_CAPTURED_REFUNDED")
  })

  it("voids an authorized transaction", async () => {
    const id = await ctx.merchant.paidTransaction()
    const res = await voidTx(id)
    expect(res.status).toBe(200)
    expect(res.body.status).toBe("AUTHORIZATION_VOIDED")
    expect((await capture(id, { amount: 100 })).status).toBe(400)
    expect((await voidTx(id)).status).toBe(400)
  })

  it("refuses to void after a capture (dintero_psp)", async () => {
    const id = await ctx.merchant.paidTransaction()
    await capture(id, { amount: 10000 })
    const res = await voidTx(id)
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: "INVALID_STATE_CHANGE", message: expect.stringContaining("dintero_psp.creditcard") })
    expect(ctx.emu.transactions().find((t) => t.id === id)!.status).toBe("PARTIALLY_CAPTURED")
  })

  it("voids the uncaptured remainder after a partial capture for payex", async () => {
    const id = await ctx.merchant.paidTransaction({ configuration: { payex: { creditcard: { enabled: true } } } })
    await capture(id, { amount: 10000 })
    const res = await voidTx(id)
    expect(res.status).toBe(200)
    expect(res.body.events.at(-1)).toMatchObject({ event: "VOID", amount: 23890 })
    expect(res.body.status).toBe("CAPTURED")
    expect((await capture(id, { amount: 1 })).status).toBe(400)
  })

  it("voids the remainder after a partial capture was refunded (payex), leaving the refund as it was", async () => {
    const id = await ctx.merchant.paidTransaction({ configuration: { payex: { creditcard: { enabled: true } } } })
    await capture(id, { amount: 10000 })
    await refund(id, { amount: 10000 })
    const res = await voidTx(id)
    expect(res.status).toBe(200)
    expect(res.body.events.at(-1)).toMatchObject({ event: "VOID", amount: 23890 })
    expect(res.body.status).toBe("REFUNDED")
  })

  it("refuses final_capture for products other than dintero_psp, changing nothing", async () => {
    const id = await ctx.merchant.paidTransaction({ configuration: { payex: { creditcard: { enabled: true } } } })
    const res = await capture(id, { amount: 10000, final_capture: true })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toMatch(/final_capture/)
    expect(ctx.emu.transactions().find((t) => t.id === id)!.status).toBe("AUTHORIZED")
  })

  it("answers 404 for an unknown transaction", async () => {
    const res = await capture("T12345678.unknown", { amount: 1 })
    expect(res.status).toBe(404)
  })

  it("sets only merchant_reference_2 with PUT", async () => {
    const id = await ctx.merchant.paidTransaction()
    const res = await ctx.merchant.call("PUT", `/transactions/${id}`, { merchant_reference_2: "medusa-order-9" })
    expect(res.body.merchant_reference_2).toBe("medusa-order-9")
    expect((await ctx.merchant.call("PUT", `/transactions/${id}`, { amount: 1 })).status).toBe(400)
  })

  describe("with asyncOperations", () => {
    it("answers 202 with event-request-id and completes the capture a moment later", async () => {
      const id = await ctx.merchant.paidTransaction()
      ctx.emu.setAsyncOperations(true)
      const res = await capture(id, { amount: 33890 })
      expect(res.status).toBe(202)
      const requestId = res.headers.get("event-request-id")
      expect(res.body.status).toBe("AUTHORIZED")
      expect(res.body.events.at(-1)).toMatchObject({ event: "INITIATE_CAPTURE", request_id: requestId })
      expect((await capture(id, { amount: 1 })).status).toBe(400)
      await new Promise((resolve) => setTimeout(resolve, 250))
      const tx = await ctx.merchant.call("GET", `/transactions/${id}`)
      expect(tx.body.status).toBe("CAPTURED")
      expect(tx.body.events.at(-1)).toMatchObject({ event: "CAPTURE", correlation_request_id: requestId })
    })
  })
})

describe("emulator: transaction search", () => {
  const ctx = {} as { emu: DinteroEmulator; merchant: Merchant }

  beforeAll(async () => {
    ctx.emu = await startEmulator()
    ctx.merchant = new Merchant(ctx.emu)
  })
  afterAll(() => ctx.emu.close())

  it("returns a bare array, newest first, filtered by reference, session, status and operation", async () => {
    const first = await ctx.merchant.paidTransaction({ order: { merchant_reference: "order-a" } })
    const second = await ctx.merchant.paidTransaction({ order: { merchant_reference: "order-b" } })
    await ctx.merchant.call("POST", `/transactions/${second}/capture`, { amount: 33890 })

    const all = await ctx.merchant.call("GET", "/transactions")
    expect(Array.isArray(all.body)).toBe(true)
    expect(all.body.map((t: any) => t.id)).toEqual([second, first])

    const byReference = await ctx.merchant.call("GET", "/transactions?merchant_reference=order-a")
    expect(byReference.body.map((t: any) => t.id)).toEqual([first])

    const sessionId = ctx.emu.transactions().find((t) => t.id === first)!.session_id
    const bySession = await ctx.merchant.call("GET", `/transactions?session_id=${sessionId}&session_id=other`)
    expect(bySession.body.map((t: any) => t.id)).toEqual([first])

    const byStatus = await ctx.merchant.call("GET", "/transactions?status=CAPTURED&status=REFUNDED")
    expect(byStatus.body.map((t: any) => t.id)).toEqual([second])

    const byOperation = await ctx.merchant.call("GET", "/transactions?payment_operation=unscheduled_purchase")
    expect(byOperation.body).toEqual([])
  })

  it("pages with limit and starting_after, and rejects a limit outside 1–100", async () => {
    const page1 = await ctx.merchant.call("GET", "/transactions?limit=1")
    expect(page1.body).toHaveLength(1)
    const page2 = await ctx.merchant.call("GET", `/transactions?limit=1&starting_after=${page1.body[0].id}`)
    expect(page2.body).toHaveLength(1)
    expect(page2.body[0].id).not.toBe(page1.body[0].id)
    expect((await ctx.merchant.call("GET", "/transactions?limit=0")).status).toBe(400)
    expect((await ctx.merchant.call("GET", "/transactions?limit=101")).status).toBe(400)
  })
})

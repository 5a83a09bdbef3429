import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { placePaidOrder as placePaidOrderIn } from "../helpers/dintero-checkout"

jest.setTimeout(120_000)

const dintero = useDinteroEmulator({ callbackSecret: null })

type Item = { line_id: string; amount: number; vat_amount?: number; quantity?: number }

/**
 * Instabank and Walley/Collector need to know which order lines a capture or refund is for, and Dintero's
 * checklist asks for them with every payment method: each capture and refund carries `items` naming the
 * transaction's lines, adding up to exactly the amount moved.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)

    const placePaidOrder = () => placePaidOrderIn(shop, dintero.emulator)
    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id)!
    const adminPost = (path: string, body: object = {}) => shop.admin.post<any>(path, body)
    /** The bodies of the captures or refunds Dintero accepted, in order. */
    const accepted = (operation: "capture" | "refund") =>
      dintero.emulator
        .requests()
        .filter((r: any) => r.method === "POST" && r.path.endsWith(`/${operation}`) && r.status < 300)
        .map((r: any) => r.body as { amount: number; items?: Item[] })

    /** Each body's items add up to its amount and name lines of the transaction. */
    const expectExactItems = (bodies: Array<{ amount: number; items?: Item[] }>, lineIds: string[]) => {
      for (const body of bodies) {
        expect(body.items?.length).toBeGreaterThan(0)
        expect(body.items!.reduce((sum, item) => sum + item.amount, 0)).toBe(body.amount)
        for (const item of body.items!) {
          expect(lineIds).toContain(item.line_id)
          expect(item.quantity).toBeGreaterThan(0)
          expect(Number.isInteger(item.vat_amount)).toBe(true)
        }
      }
    }

    /** Per line: the sum of what the bodies took of it. */
    const perLine = (bodies: Array<{ items?: Item[] }>, field: "amount" | "vat_amount") => {
      const totals: Record<string, number> = {}
      for (const item of bodies.flatMap((body) => body.items ?? [])) {
        totals[item.line_id] = (totals[item.line_id] ?? 0) + (item[field] ?? 0)
      }
      return totals
    }
    const linesOf = (tx: any, field: "amount" | "vat_amount") =>
      Object.fromEntries(tx.items.filter((line: any) => line[field] !== 0).map((line: any) => [line.line_id, line[field]]))

    it("a full capture sends the order's lines, the product and the shipping, adding up to the amount captured", async () => {
      const { payment, transactionId } = await placePaidOrder()
      const tx = transaction(transactionId)
      expect(tx.items.map((line: any) => line.type)).toEqual(expect.arrayContaining(["physical", "shipping"]))

      expect((await adminPost(`/admin/payments/${payment.id}/capture`)).status).toBe(200)

      const [capture] = accepted("capture")
      expect(capture.amount).toBe(80875)
      expectExactItems([capture], tx.items.map((line: any) => line.line_id))
      // The order's lines exactly as Dintero holds them: amounts, VAT and quantities.
      expect(capture.items).toEqual(
        tx.items.map((line: any) => expect.objectContaining({ line_id: line.line_id, amount: line.amount, vat_amount: line.vat_amount, quantity: line.quantity }))
      )
      expect(transaction(transactionId).events.find((e: any) => e.event === "CAPTURE").items).toEqual(capture.items)
    })

    it("partial captures send proportional shares that add up exactly, and together capture every line once", async () => {
      const { payment, transactionId } = await placePaidOrder()
      const tx = transaction(transactionId)

      // 333.33 of 808.75 does not divide evenly over the lines.
      for (const amount of [333.33, 0.01, 475.41]) {
        const captured = await adminPost(`/admin/payments/${payment.id}/capture`, { amount })
        expect(captured.status).toBe(200)
      }

      const captures = accepted("capture")
      expect(captures.map((body) => body.amount)).toEqual([33333, 1, 47541])
      expectExactItems(captures, tx.items.map((line: any) => line.line_id))
      // The first capture takes from every line in proportion, not from the first line only.
      expect(captures[0].items!.length).toBe(tx.items.filter((line: any) => line.amount > 0).length)
      expect(perLine(captures, "amount")).toEqual(linesOf(tx, "amount"))
      expect(perLine(captures, "vat_amount")).toEqual(linesOf(tx, "vat_amount"))
      expect(transaction(transactionId).status).toBe("CAPTURED")
    })

    it("partial refunds send shares of the captured lines that add up exactly, and never refund a line twice", async () => {
      const { payment, transactionId } = await placePaidOrder()
      const tx = transaction(transactionId)
      expect((await adminPost(`/admin/payments/${payment.id}/capture`)).status).toBe(200)

      for (const amount of [100.01, 0.03, 708.71]) {
        const refunded = await adminPost(`/admin/payments/${payment.id}/refund`, { amount })
        expect(refunded.status).toBe(200)
      }

      const refunds = accepted("refund")
      expect(refunds.map((body) => body.amount)).toEqual([10001, 3, 70871])
      expectExactItems(refunds, tx.items.map((line: any) => line.line_id))
      expect(perLine(refunds, "amount")).toEqual(linesOf(tx, "amount"))
      expect(perLine(refunds, "vat_amount")).toEqual(linesOf(tx, "vat_amount"))
      expect(transaction(transactionId).status).toBe("REFUNDED")
    })

    it("a refund after a partial capture only refunds what was captured of each line", async () => {
      const { payment, transactionId } = await placePaidOrder()
      const tx = transaction(transactionId)
      expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 400 })).status).toBe(200)

      expect((await adminPost(`/admin/payments/${payment.id}/refund`, { amount: 400 })).status).toBe(200)

      const [capture] = accepted("capture")
      const [refund] = accepted("refund")
      expectExactItems([refund], tx.items.map((line: any) => line.line_id))
      // Refunding all that was captured gives back exactly what each line gave.
      expect(perLine([refund], "amount")).toEqual(perLine([capture], "amount"))
      expect(perLine([refund], "vat_amount")).toEqual(perLine([capture], "vat_amount"))
    })

    it("an admin capture of exactly what a fulfilment shipped sends those lines; another amount is shared over the lines", async () => {
      const { order, payment, transactionId } = await placePaidOrder()
      const tx = transaction(transactionId)
      const shirt = tx.items.find((line: any) => line.type === "physical")
      const shipping = tx.items.find((line: any) => line.type === "shipping")
      const fields = encodeURIComponent("id,*items")
      const items = (await shop.admin.get<any>(`/admin/orders/${order.id}?fields=${fields}`)).data.order.items
      // Without captureOnFulfillment a fulfilment captures nothing by itself.
      expect((await adminPost(`/admin/orders/${order.id}/fulfillments`, { items: [{ id: items[0].id, quantity: 1 }] })).status).toBe(200)
      expect(accepted("capture")).toHaveLength(0)

      // One of two T-shirts (373.75 NOK) and the shipping (61.25 NOK).
      expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 435 })).status).toBe(200)
      const [capture] = accepted("capture")
      expect(capture.items).toEqual([
        expect.objectContaining({ line_id: shirt.line_id, amount: shirt.amount / 2, quantity: 1 }),
        expect.objectContaining({ line_id: shipping.line_id, amount: shipping.amount, quantity: 1 }),
      ])

      // 100 NOK is nothing the order fulfilled: it is shared over what is left, exactly.
      expect((await adminPost(`/admin/payments/${payment.id}/capture`, { amount: 100 })).status).toBe(200)
      const [, shared] = accepted("capture")
      expectExactItems([shared], tx.items.map((line: any) => line.line_id))
      expect(shared.items).toEqual([expect.objectContaining({ line_id: shirt.line_id, amount: 10000 })])
    })
  },
})

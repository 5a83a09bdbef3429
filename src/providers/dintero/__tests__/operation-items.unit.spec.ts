import fc from "fast-check"
import type { Transaction } from "../../../lib/dintero"
import { operationItems } from "../operation-items"

const lines = [
  { id: "sku-1", line_id: "shirt", description: "Shirt", quantity: 2, amount: 60000, vat_amount: 12000, vat: 25, type: "physical" },
  { id: "so_1", line_id: "shipping", description: "Standard", quantity: 1, amount: 4900, vat_amount: 980, vat: 25, type: "shipping" },
  { id: "rounding", line_id: "rounding", description: "Rounding", quantity: 1, amount: -1, vat_amount: 0, vat: 0, type: "surcharge" },
]

const paid = (events: object[] = [], status: Transaction["status"] = "AUTHORIZED", items: unknown[] = lines): Transaction => ({
  id: "T12345678.tx",
  status,
  amount: 64899,
  currency: "NOK",
  items,
  events: [{ event: "AUTHORIZE", amount: 64899, success: true }, ...events] as Transaction["events"],
})

const sum = (items: Array<{ amount: number }> = []) => items.reduce((total, item) => total + item.amount, 0)
const byLine = (items: Array<{ line_id: string; amount: number }> = []) => Object.fromEntries(items.map((i) => [i.line_id, i.amount]))

describe("the order lines of a capture or refund", () => {
  it("a capture of the whole amount lists every line as ordered, with its VAT, quantity and description", () => {
    const { items } = operationItems(paid(), "CAPTURE", 64899)
    expect(items).toEqual(lines.map((line) => ({ ...line })))
  })

  it("the capture after a partial one takes what each line has left, the rounding line included", () => {
    const first = operationItems(paid(), "CAPTURE", 30000).items!
    expect(sum(first)).toBe(30000)
    expect(first.map((i) => i.line_id)).toEqual(["shirt", "shipping"])
    const after = paid([{ event: "CAPTURE", amount: 30000, items: first, success: true }], "PARTIALLY_CAPTURED")
    const rest = operationItems(after, "CAPTURE", 34899).items!
    expect(byLine(rest)).toEqual({ shirt: 60000 - byLine(first).shirt, shipping: 4900 - byLine(first).shipping, rounding: -1 })
    expect(rest.find((i) => i.line_id === "shirt")!.vat_amount + first.find((i) => i.line_id === "shirt")!.vat_amount).toBe(12000)
  })

  it("a capture still under way (202, INITIATE_CAPTURE) is not captured again from the same lines", () => {
    const initiated = { event: "INITIATE_CAPTURE", amount: 60000, items: [{ line_id: "shirt", amount: 60000 }], success: true, request_id: "rq1" }
    const { items } = operationItems(paid([initiated]), "CAPTURE", 4899)
    expect(byLine(items)).toEqual({ shipping: 4900, rounding: -1 })
  })

  it("a refund after an auto-capture without items refunds from every captured line", () => {
    const autoCaptured = paid([{ event: "CAPTURE", amount: 64899, success: true }], "CAPTURED")
    expect(byLine(operationItems(autoCaptured, "REFUND", 64899).items)).toEqual({ shirt: 60000, shipping: 4900, rounding: -1 })
    const part = operationItems(autoCaptured, "REFUND", 1000).items!
    expect(sum(part)).toBe(1000)
    // Only the status tells (no CAPTURE event): the whole amount counts as captured from the lines.
    expect(sum(operationItems(paid([], "CAPTURED"), "REFUND", 64899).items)).toBe(64899)
  })

  it("a refund never takes more of a line than was captured of it and not yet refunded", () => {
    const captured = { event: "CAPTURE", amount: 4900, items: [{ line_id: "shipping", amount: 4900, vat_amount: 980 }], success: true }
    const refunded = { event: "REFUND", amount: 900, items: [{ line_id: "shipping", amount: 900, vat_amount: 180 }], success: true }
    const tx = paid([captured, refunded], "PARTIALLY_CAPTURED_REFUNDED")
    expect(operationItems(tx, "REFUND", 4000).items).toEqual([
      { id: "so_1", line_id: "shipping", description: "Standard", quantity: 0.816, amount: 4000, vat_amount: 800, vat: 25, type: "shipping" },
    ])
    expect(operationItems(tx, "REFUND", 4001)).toEqual({ reason: expect.stringContaining("less than 4001 left to refund") })
  })

  it("event items that do not add up to the event are not trusted; the event is spread like one without items", () => {
    const odd = { event: "CAPTURE", amount: 64899, items: [{ line_id: "shirt", amount: 5 }], success: true }
    expect(sum(operationItems(paid([odd], "CAPTURED"), "REFUND", 64899).items)).toBe(64899)
  })

  it("a transaction without usable lines gets no items, and says why", () => {
    expect(operationItems(paid([], "AUTHORIZED", []), "CAPTURE", 100)).toEqual({ reason: expect.stringContaining("no order lines") })
    expect(operationItems(paid([], "AUTHORIZED", [{ amount: 64899 }]), "CAPTURE", 100).items).toBeUndefined()
    const duplicate = [lines[0], { ...lines[1], line_id: "shirt" }]
    expect(operationItems(paid([], "AUTHORIZED", duplicate), "CAPTURE", 100).items).toBeUndefined()
  })

  it("any sequence of partial captures and refunds, some made without items elsewhere, stays exact line by line", () => {
    const orderLines = fc
      .tuple(
        fc.array(fc.record({ amount: fc.integer({ min: 1, max: 5_000_000 }), quantity: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: -3, max: 3 })
      )
      .map(([products, rounding]) => [
        ...products.map((p, i) => ({ line_id: `l${i}`, quantity: p.quantity, amount: p.amount, vat_amount: Math.floor(p.amount / 5), vat: 25 })),
        ...(rounding ? [{ line_id: "rounding", quantity: 1, amount: rounding, vat_amount: 0, vat: 0 }] : []),
      ])
    const step = fc.record({ fraction: fc.double({ min: 0.001, max: 1, noNaN: true }), elsewhere: fc.boolean() })
    fc.assert(
      fc.property(orderLines, fc.array(step, { maxLength: 4 }), fc.array(step, { maxLength: 4 }), (items, captureSteps, refundSteps) => {
        const total = items.reduce((sum, line) => sum + line.amount, 0)
        fc.pre(total > 0)
        const tx = paid([], "AUTHORIZED", items)
        tx.amount = total
        const taken = { CAPTURE: new Map<string, number>(), REFUND: new Map<string, number>() }
        const run = (kind: "CAPTURE" | "REFUND", steps: Array<{ fraction: number; elsewhere: boolean }>, available: () => number) => {
          for (const { fraction, elsewhere } of [...steps, { fraction: 1, elsewhere: false }]) {
            const left = available()
            const amount = fraction === 1 ? left : Math.max(1, Math.floor(left * fraction))
            if (left <= 0 || amount > left) return
            if (elsewhere) {
              // Dintero's backoffice: no items on the event.
              tx.events!.push({ event: kind, amount, success: true })
              continue
            }
            const result = operationItems(tx, kind, amount)
            expect(result.items).toBeDefined()
            expect(sum(result.items)).toBe(amount)
            for (const item of result.items!) {
              const line = items.find((l) => l.line_id === item.line_id)!
              const sofar = (taken[kind].get(item.line_id) ?? 0) + item.amount
              taken[kind].set(item.line_id, sofar)
              if (line.amount > 0) {
                expect(item.amount).toBeGreaterThanOrEqual(0)
                expect(sofar).toBeLessThanOrEqual(line.amount)
              }
              expect(item.quantity).toBeGreaterThan(0)
              expect(item.quantity).toBeLessThanOrEqual(line.quantity)
            }
            tx.events!.push({ event: kind, amount, items: result.items, success: true })
          }
        }
        const moved = (kind: string) => tx.events!.filter((e) => e.event === kind).reduce((s, e) => s + (e.amount ?? 0), 0)
        run("CAPTURE", captureSteps, () => total - moved("CAPTURE"))
        tx.status = "CAPTURED"
        run("REFUND", refundSteps, () => moved("CAPTURE") - moved("REFUND"))
        expect(moved("REFUND")).toBe(total)
      })
    )
  })
})

import fc from "fast-check"
import type { Transaction } from "../../../lib/dintero"
import { itemsOf, lineLedger, operationItems, type LineLedger } from "../operation-items"
import { pairOrderLinesWithCartLines } from "../order-progress"
import { targetedShares, type LineProgress } from "../targeted-items"

const lines = [
  { id: "SHIRT", line_id: "cali_shirt", description: "Shirt", quantity: 3, amount: 90000, vat_amount: 18000, vat: 25, type: "physical" },
  { id: "MUG", line_id: "cali_mug", description: "Mug", quantity: 1, amount: 20000, vat_amount: 4000, vat: 25, type: "physical" },
  { id: "so_1", line_id: "casm_1", description: "Standard", quantity: 1, amount: 4900, vat_amount: 980, vat: 25, type: "shipping" },
  { id: "sc_1", line_id: "cacl_1", description: "Store credit", quantity: 1, amount: -10000, vat_amount: 0, vat: 0, type: "gift_card" },
]
const TOTAL = 104900

const tx = (events: object[] = [], status: Transaction["status"] = "AUTHORIZED"): Transaction => ({
  id: "T12345678.tx",
  status,
  amount: TOTAL,
  currency: "NOK",
  items: lines,
  events: [{ event: "AUTHORIZE", amount: TOTAL, success: true }, ...events] as Transaction["events"],
})

const ledgerOf = (transaction: Transaction, kind: "CAPTURE" | "REFUND") => lineLedger(transaction, kind) as LineLedger
const targeted = (transaction: Transaction, kind: "CAPTURE" | "REFUND", amount: number, progress: LineProgress) => {
  const ledger = ledgerOf(transaction, kind)
  const shares = targetedShares(ledger, amount, progress)
  return shares && itemsOf(ledger.lines, shares)
}
const byLine = (items: Array<{ line_id: string; amount: number }> = []) => Object.fromEntries(items.map((i) => [i.line_id, i.amount]))
const event = (kind: string, items: Array<{ line_id: string; amount: number }>) => ({
  event: kind,
  amount: items.reduce((sum, item) => sum + item.amount, 0),
  items,
  success: true,
})

describe("the lines a fulfilment or a return names", () => {
  it("a capture of exactly the fulfilled units (and the shipping) sends those lines, with the units as quantity", () => {
    const fulfilled = { units: { cali_shirt: 2 } }
    expect(targeted(tx(), "CAPTURE", 60000, fulfilled)).toEqual([
      expect.objectContaining({ line_id: "cali_shirt", amount: 60000, quantity: 2, vat_amount: 12000 }),
    ])
    expect(byLine(targeted(tx(), "CAPTURE", 64900, fulfilled))).toEqual({ cali_shirt: 60000, casm_1: 4900 })
  })

  it("a later fulfilment captures only what was not captured yet, and the last unit takes the rest of the line", () => {
    const first = event("CAPTURE", [{ line_id: "cali_shirt", amount: 30000 }, { line_id: "casm_1", amount: 4900 }])
    const after = tx([first], "PARTIALLY_CAPTURED")
    expect(byLine(targeted(after, "CAPTURE", 80000, { units: { cali_shirt: 3, cali_mug: 1 } }))).toEqual({ cali_shirt: 60000, cali_mug: 20000 })
    // The shipping was captured with the first fulfilment: it is not offered again.
    expect(targeted(after, "CAPTURE", 84900, { units: { cali_shirt: 3, cali_mug: 1 } })).toBeUndefined()
  })

  it("any other amount is not guessed: the caller shares it over the lines", () => {
    expect(targeted(tx(), "CAPTURE", 59999, { units: { cali_shirt: 2 } })).toBeUndefined()
    expect(targeted(tx(), "CAPTURE", 60000, { units: {} })).toBeUndefined()
    // The whole rest is the full capture's: every line, the store credit included.
    expect(targeted(tx(), "CAPTURE", TOTAL, { units: { cali_shirt: 3, cali_mug: 1 } })).toBeUndefined()
  })

  it("a refund of exactly one return's lines sends them; two returns worth the same but of other lines are not guessed", () => {
    const captured = tx([event("CAPTURE", lines.map((l) => ({ line_id: l.line_id, amount: l.amount })))], "CAPTURED")
    const returned = { units: { cali_shirt: 1, cali_mug: 1 }, groups: [{ cali_shirt: 1 }, { cali_mug: 1 }] }
    expect(byLine(targeted(captured, "REFUND", 30000, returned))).toEqual({ cali_shirt: 30000 })
    expect(byLine(targeted(captured, "REFUND", 20000, returned))).toEqual({ cali_mug: 20000 })
    expect(byLine(targeted(captured, "REFUND", 54900, returned))).toEqual({ cali_shirt: 30000, cali_mug: 20000, casm_1: 4900 })
    const ambiguous = { units: { cali_shirt: 1, cali_mug: 1 }, groups: [{ cali_shirt: 1 }, { cali_mug: 1 }] }
    const pricier = lines.map((l) => (l.line_id === "cali_mug" ? { ...l, amount: 30000 } : l))
    const sameWorth = { ...tx([event("CAPTURE", pricier.map((l) => ({ line_id: l.line_id, amount: l.amount })))], "CAPTURED"), items: pricier, amount: TOTAL + 10000 }
    expect(targeted(sameWorth, "REFUND", 30000, ambiguous)).toBeUndefined()
  })

  it("a return already refunded is not refunded again from its lines", () => {
    const captured = event("CAPTURE", lines.map((l) => ({ line_id: l.line_id, amount: l.amount })))
    const refunded = event("REFUND", [{ line_id: "cali_shirt", amount: 30000 }])
    const after = tx([captured, refunded], "PARTIALLY_REFUNDED")
    expect(targeted(after, "REFUND", 30000, { units: { cali_shirt: 1 }, groups: [{ cali_shirt: 1 }] })).toBeUndefined()
    expect(byLine(targeted(after, "REFUND", 30000, { units: { cali_shirt: 2 }, groups: [{ cali_shirt: 1 }, { cali_shirt: 1 }] }))).toEqual({ cali_shirt: 30000 })
  })

  it("when store credit pays for the fulfilled lines, the last capture sends them and part of the credit, not the unshipped goods", () => {
    const credited = lines.map((l) => (l.line_id === "cacl_1" ? { ...l, amount: -80000 } : l))
    const small = { ...tx(), items: credited, amount: 34900 }
    const fulfilled = { units: { cali_shirt: 1 }, creditCovers: true }
    // The shirt (30000) and shipping (4900) are worth 34900 = everything the payment has: the credit pays 0.
    expect(byLine(targeted(small, "CAPTURE", 34900, fulfilled))).toEqual({ cali_shirt: 30000, casm_1: 4900 })
    const worthMore = { units: { cali_shirt: 2 }, creditCovers: true }
    const items = targeted(small, "CAPTURE", 34900, worthMore)!
    expect(byLine(items)).toEqual({ cali_shirt: 60000, casm_1: 4900, cacl_1: -30000 })
    expect(items.reduce((sum, item) => sum + item.amount, 0)).toBe(34900)
    // Without the flag (refunds), or with everything fulfilled, the whole rest is listed by the allocator.
    expect(targeted(small, "CAPTURE", 34900, { units: { cali_shirt: 2 } })).toBeUndefined()
    expect(targeted(small, "CAPTURE", 34900, { units: { cali_shirt: 3, cali_mug: 1 }, creditCovers: true })).toBeUndefined()
    // The credit cannot make up more than it has.
    const tooLittle = { ...small, items: lines, amount: TOTAL }
    expect(targeted(tooLittle, "CAPTURE", TOTAL, { units: { cali_shirt: 3 }, creditCovers: true })).toBeUndefined()
  })

  it("property: targeted items add up to the amount, never exceed a line's balance, and fulfilments one by one capture each line once", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ shirt: fc.integer({ min: 0, max: 3 }), mug: fc.integer({ min: 0, max: 1 }) }), { minLength: 1, maxLength: 5 }), (steps) => {
        let transaction = tx()
        const units = { cali_shirt: 0, cali_mug: 0 }
        for (const step of steps) {
          units.cali_shirt = Math.min(3, units.cali_shirt + step.shirt)
          units.cali_mug = Math.min(1, units.cali_mug + step.mug)
          const ledger = ledgerOf(transaction, "CAPTURE")
          const left = Object.fromEntries(ledger.balances.map((b) => [b.lineId, b.amount]))
          // What a merchant's fulfilment capture asks for: the fulfilled worth not yet captured, with shipping.
          const due =
            Math.round((90000 * units.cali_shirt) / 3) - (90000 - left.cali_shirt) + (units.cali_mug ? 20000 - (20000 - left.cali_mug) : 0)
          const amount = due + left.casm_1
          const everything = Object.values(left).reduce((a, b) => a + b, 0)
          if (due <= 0 || amount >= everything) continue
          const items = targeted(transaction, "CAPTURE", amount, { units: { ...units } })!
          expect(items.reduce((sum, item) => sum + item.amount, 0)).toBe(amount)
          for (const item of items) expect(item.amount).toBeLessThanOrEqual(left[item.line_id])
          transaction = tx([...(transaction.events ?? []).slice(1), { event: "CAPTURE", amount, items, success: true }], "PARTIALLY_CAPTURED")
        }
        // Whatever is left is one full capture, which the allocator lists; the lines end exactly captured.
        const ledger = ledgerOf(transaction, "CAPTURE")
        const rest = ledger.balances.reduce((sum, b) => sum + b.amount, 0)
        if (rest > 0) {
          const final = operationItems(transaction, "CAPTURE", rest).items!
          transaction = tx([...(transaction.events ?? []).slice(1), { event: "CAPTURE", amount: rest, items: final, success: true }], "CAPTURED")
        }
        expect(ledgerOf(transaction, "CAPTURE").balances.every((b) => b.amount === 0)).toBe(true)
      }),
      { numRuns: 200 }
    )
  })
})

describe("pairing the order's lines with the cart's", () => {
  it("pairs by variant, quantity and unit price, and alike lines in id order", () => {
    const cart = [
      { id: "cali_2", variant_id: "v1", quantity: 1, unit_price: 100 },
      { id: "cali_1", variant_id: "v1", quantity: 1, unit_price: 100 },
      { id: "cali_3", variant_id: "v2", quantity: 2, unit_price: 50 },
    ]
    const order = [
      { id: "ordli_b", variant_id: "v2", quantity: 2, unit_price: 50 },
      { id: "ordli_c", variant_id: "v1", quantity: 1, unit_price: 100 },
      { id: "ordli_a", variant_id: "v1", quantity: 1, unit_price: 100 },
      { id: "ordli_x", variant_id: "v9", quantity: 1, unit_price: 1 },
    ]
    expect(Object.fromEntries(pairOrderLinesWithCartLines(order, cart))).toEqual({ ordli_a: "cali_1", ordli_c: "cali_2", ordli_b: "cali_3" })
  })
})

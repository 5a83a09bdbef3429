import fc from "fast-check"
import { allocateOverLines, splitByLargestRemainder, type LineBalance } from "../line-allocation"

const line = (lineId: string, amount: number, vatAmount: number, quantity = 1, left = amount): LineBalance => ({
  lineId,
  amount: left,
  vatAmount: Math.round((vatAmount * left) / (amount || 1)),
  lineAmount: amount,
  lineQuantity: quantity,
  touched: left !== amount,
})

/** Untouched order lines: amounts up to int32, VAT at most a fifth of the amount (25 % VAT included). */
const orderLines = fc
  .array(
    fc.record({
      amount: fc.integer({ min: 0, max: 2_000_000_000 / 20 }),
      quantity: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0.5, 1.25, 2.75)),
      vatPart: fc.integer({ min: 0, max: 5 }),
    }),
    { minLength: 1, maxLength: 12 }
  )
  .map((specs) => specs.map((spec, i) => line(`line-${i}`, spec.amount, Math.floor(spec.amount / 5) * (spec.vatPart / 5), spec.quantity)))

describe("allocating a capture or refund over the order lines", () => {
  it("a share of an amount always adds up to exactly that amount, never negative, never more than a line has", () => {
    fc.assert(
      fc.property(orderLines, fc.double({ min: 0, max: 1, noNaN: true }), (lines, fraction) => {
        const available = lines.reduce((sum, l) => sum + l.amount, 0)
        const amount = Math.max(1, Math.round(available * fraction))
        const shares = allocateOverLines(lines, amount)
        if (available === 0) {
          expect(shares).toBeUndefined()
          return
        }
        expect(shares).toBeDefined()
        expect(shares!.reduce((sum, s) => sum + s.amount, 0)).toBe(amount)
        for (const share of shares!) {
          const of = lines.find((l) => l.lineId === share.lineId)!
          expect(Number.isInteger(share.amount)).toBe(true)
          expect(share.amount).toBeGreaterThanOrEqual(0)
          expect(share.amount).toBeLessThanOrEqual(of.amount)
          expect(Number.isInteger(share.vatAmount)).toBe(true)
          expect(share.vatAmount).toBeGreaterThanOrEqual(0)
          expect(share.vatAmount).toBeLessThanOrEqual(of.vatAmount)
          expect(share.quantity).toBeGreaterThan(0)
          expect(share.quantity).toBeLessThanOrEqual(of.lineQuantity)
        }
      })
    )
  })

  it("operations that together take everything take each line's amount and VAT exactly, whatever the order of amounts", () => {
    fc.assert(
      fc.property(orderLines, fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { maxLength: 6 }), (lines, fractions) => {
        const total = lines.reduce((sum, l) => sum + l.amount, 0)
        fc.pre(total > 0)
        let balances = lines.map((l) => ({ ...l }))
        const taken = new Map(lines.map((l) => [l.lineId, { amount: 0, vat: 0, quantity: 0 }]))
        let left = total
        for (const fraction of [...fractions, 1]) {
          const amount = fraction === 1 ? left : Math.min(left, Math.max(1, Math.floor(left * fraction)))
          if (amount <= 0) break
          const shares = allocateOverLines(balances, amount)!
          expect(shares.reduce((sum, s) => sum + s.amount, 0)).toBe(amount)
          balances = balances.map((b) => {
            const share = shares.find((s) => s.lineId === b.lineId)
            if (!share) return b
            const t = taken.get(b.lineId)!
            t.amount += share.amount
            t.vat += share.vatAmount
            return { ...b, amount: b.amount - share.amount, vatAmount: b.vatAmount - share.vatAmount, touched: true }
          })
          left -= amount
        }
        expect(left).toBe(0)
        for (const l of lines) {
          expect(taken.get(l.lineId)!.amount).toBe(l.amount)
          expect(taken.get(l.lineId)!.vat).toBe(l.vatAmount)
        }
      })
    )
  })

  it("taking everything lists every line as it stands, the free ones and a negative rounding line included", () => {
    const lines = [line("shirt", 30000, 6000, 2), line("gift", 0, 0, 1), line("shipping", 4900, 980), line("rounding", -1, 0)]
    expect(allocateOverLines(lines, 34899)).toEqual([
      { lineId: "shirt", amount: 30000, vatAmount: 6000, quantity: 2 },
      { lineId: "gift", amount: 0, vatAmount: 0, quantity: 1 },
      { lineId: "shipping", amount: 4900, vatAmount: 980, quantity: 1 },
      { lineId: "rounding", amount: -1, vatAmount: 0, quantity: 1 },
    ])
  })

  it("a part is shared in proportion, its VAT with it, and its quantity is the part of the units it pays for", () => {
    const lines = [line("shirt", 30000, 6000, 3), line("shipping", 10000, 2000), line("rounding", -1, 0)]
    // A quarter of 40 000 (the rounding line waits for the capture that takes everything).
    expect(allocateOverLines(lines, 10000)).toEqual([
      { lineId: "shirt", amount: 7500, vatAmount: 1500, quantity: 0.75 },
      { lineId: "shipping", amount: 2500, vatAmount: 500, quantity: 0.25 },
    ])
    // Two of three shirts' worth.
    expect(allocateOverLines([line("shirt", 30000, 6000, 3)], 20000)).toEqual([{ lineId: "shirt", amount: 20000, vatAmount: 4000, quantity: 2 }])
  })

  it("units that do not divide evenly go to the largest remainders and still add up", () => {
    expect(splitByLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33])
    expect(splitByLargestRemainder(2, [1, 1, 1])).toEqual([1, 1, 0])
    // int32 × int32 is past 2^53: computed exactly all the same.
    expect(splitByLargestRemainder(2_147_483_647, [2_147_483_647, 2_147_483_647])).toEqual([1_073_741_824, 1_073_741_823])
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), (weights, f) => {
        const sum = weights.reduce((a, b) => a + b, 0)
        const total = Math.floor(sum * f)
        const shares = splitByLargestRemainder(total, weights)
        expect(shares.reduce((a, b) => a + b, 0)).toBe(sum === 0 ? 0 : total)
        shares.forEach((s, i) => {
          expect(s).toBeGreaterThanOrEqual(0)
          expect(s).toBeLessThanOrEqual(weights[i])
        })
      })
    )
  })

  it("more than the lines have left, nothing, or a fraction of a minor unit cannot be allocated", () => {
    const lines = [line("shirt", 300, 60)]
    expect(allocateOverLines(lines, 301)).toBeUndefined()
    expect(allocateOverLines(lines, 0)).toBeUndefined()
    expect(allocateOverLines(lines, 1.5)).toBeUndefined()
  })
})

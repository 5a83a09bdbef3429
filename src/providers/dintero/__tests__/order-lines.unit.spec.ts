import { buildOrderLines, sumVat, type CartSnapshot } from "../order-lines"

const cart: CartSnapshot = {
  id: "cart_1",
  startsSubscription: false,
  items: [
    { id: "cali_1", title: "Wool sweater", sku: "SW-1", quantity: 2, total: "598", taxTotal: "119.6", taxRatePercent: 25 },
  ],
  shippingMethods: [{ id: "casm_1", name: "PostNord", total: "49", taxTotal: "9.8", taxRatePercent: 25 }],
}

describe("Dintero order lines from a Medusa cart", () => {
  it("sends item and shipping lines that add up to the payment amount, with VAT", () => {
    const lines = buildOrderLines(cart, 64700, "NOK")
    expect(lines).toEqual([
      expect.objectContaining({ line_id: "cali_1", id: "SW-1", quantity: 2, amount: 59800, vat_amount: 11960, vat: 25 }),
      expect.objectContaining({ line_id: "casm_1", amount: 4900, vat_amount: 980, type: "shipping" }),
    ])
    expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(64700)
    expect(sumVat(lines)).toBe(12940)
  })

  it("puts a few minor units of rounding into a rounding line", () => {
    const lines = buildOrderLines(cart, 64701, "NOK")
    expect(lines.at(-1)).toEqual(expect.objectContaining({ line_id: "rounding", amount: 1 }))
    expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(64701)
  })

  it("falls back to one summary line when the payment is not the whole cart", () => {
    const lines = buildOrderLines(cart, 30000, "NOK")
    expect(lines).toEqual([expect.objectContaining({ line_id: "order", amount: 30000, quantity: 1 })])
  })

  it("uses one summary line when there is no cart", () => {
    expect(buildOrderLines(undefined, 1000, "NOK")).toEqual([expect.objectContaining({ amount: 1000 })])
  })

  it("keeps a discounted line at its price after the discount and says what each promotion took off", () => {
    const discounted: CartSnapshot = {
      ...cart,
      items: [
        {
          ...cart.items[0],
          total: "478.4",
          taxTotal: "95.68",
          originalTotal: "598",
          discounts: [
            { code: "TENOFF", promotionId: "promo_a", amount: "59.8" },
            { code: "EXTRA", promotionId: "promo_b", amount: "59.8" },
          ],
        },
      ],
      shippingMethods: [{ ...cart.shippingMethods[0], total: "0", taxTotal: "0", originalTotal: "49", discounts: [{ code: "FREESHIP", amount: "49" }] }],
    }
    const lines = buildOrderLines(discounted, 47840, "NOK")
    expect(lines[0]).toEqual(
      expect.objectContaining({
        line_id: "cali_1",
        amount: 47840,
        discount_lines: [
          { amount: 5980, discount_type: "external", discount_id: "promo_a", description: "TENOFF" },
          { amount: 5980, discount_type: "external", discount_id: "promo_b", description: "EXTRA" },
        ],
      })
    )
    expect(lines[1]).toEqual(expect.objectContaining({ line_id: "casm_1", amount: 0, discount_lines: [expect.objectContaining({ amount: 4900, description: "FREESHIP" })] }))
    expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(47840)
  })

  it("shares an odd discount over promotions so the discount lines add up exactly to what the line lost", () => {
    const item = { ...cart.items[0], total: "598", originalTotal: "598.01", discounts: [{ code: "A", amount: "1" }, { code: "B", amount: "1" }, { code: "C", amount: "1" }] }
    const [line] = buildOrderLines({ ...cart, items: [item], shippingMethods: [] }, 59800, "NOK")
    expect(line.discount_lines!.reduce((sum, discount) => sum + discount.amount, 0)).toBe(1)
    expect(line.discount_lines).toHaveLength(1)
  })

  it("sends store credit and gift cards as negative gift_card lines instead of one summary line", () => {
    const paidWithCredit: CartSnapshot = {
      ...cart,
      creditLines: [
        { id: "cacl_1", amount: "100", reference: "store-credit", referenceId: "sc_1" },
        { id: "cacl_2", amount: "47", reference: "gift-card", referenceId: "gc_9" },
      ],
    }
    const lines = buildOrderLines(paidWithCredit, 50000, "NOK")
    expect(lines.map((line) => line.line_id)).toEqual(["cali_1", "casm_1", "cacl_1", "cacl_2"])
    expect(lines.slice(2)).toEqual([
      { id: "sc_1", line_id: "cacl_1", description: "Store credit", quantity: 1, amount: -10000, vat_amount: 0, vat: 0, type: "gift_card" },
      { id: "gc_9", line_id: "cacl_2", description: "Gift card", quantity: 1, amount: -4700, vat_amount: 0, vat: 0, type: "gift_card" },
    ])
    expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(50000)
    expect(sumVat(lines)).toBe(12940)
  })

  it("puts a rounding difference below zero into a negative rounding line", () => {
    const lines = buildOrderLines(cart, 64699, "NOK")
    expect(lines.at(-1)).toEqual(expect.objectContaining({ line_id: "rounding", amount: -1, type: "surcharge" }))
  })
})

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
})

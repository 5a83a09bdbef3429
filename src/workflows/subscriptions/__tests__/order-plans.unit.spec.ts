import { itemLine, planGroups, shippingLine } from "../order-plans"

const item = (id: string, metadata?: Record<string, unknown>) => ({
  id,
  title: "T-shirt",
  product_title: "Dintero T-shirt",
  variant_title: "M",
  quantity: 2,
  unit_price: 299,
  is_tax_inclusive: false,
  tax_lines: [{ rate: 25 }],
  variant_id: `variant_${id}`,
  product_id: "prod_1",
  metadata,
})

describe("which subscriptions an order starts", () => {
  it("a plan on the cart covers every item and the shipping", () => {
    const groups = planGroups({ metadata: { subscription: { interval: "month" } }, items: [item("a"), item("b")] })
    expect(groups).toEqual([{ plan: { interval: "month", interval_count: 1 }, items: [expect.objectContaining({ id: "a" }), expect.objectContaining({ id: "b" })], withShipping: true }])
  })

  it("plans on items group those items; shipping only when every item shares one plan", () => {
    const mixed = planGroups({
      items: [item("a", { subscription: { interval: "week", interval_count: 2 } }), item("b"), item("c", { subscription: { interval: "month" } })],
    })
    expect(mixed.map((group) => [group.plan.interval, group.items.map((i) => i.id), group.withShipping])).toEqual([
      ["week", ["a"], false],
      ["month", ["c"], false],
    ])
    const all = planGroups({ items: [item("a", { subscription: { interval: "year" } }), item("b", { subscription: { interval: "year", interval_count: "1" } })] })
    expect(all).toEqual([expect.objectContaining({ withShipping: true })])
  })

  it("an order without a valid plan starts nothing", () => {
    expect(planGroups({ items: [item("a")] })).toEqual([])
    expect(planGroups({ metadata: { subscription: { interval: "fortnight" } }, items: [item("a")] })).toEqual([])
  })

  it("bills list prices with VAT in minor units, whether Medusa quoted them with or without it", () => {
    expect(itemLine(item("a"), "NOK")).toEqual({
      line_id: "a",
      title: "Dintero T-shirt – M",
      quantity: 2,
      unit_amount: 37375,
      vat: 25,
      type: "item",
      variant_id: "variant_a",
      product_id: "prod_1",
    })
    expect(itemLine({ ...item("a"), unit_price: 373.75, is_tax_inclusive: true }, "NOK").unit_amount).toBe(37375)
    expect(shippingLine({ id: "sm_1", name: "Post", amount: 49, is_tax_inclusive: false, tax_lines: [{ rate: 25 }], shipping_option_id: "so_1" }, "NOK")).toMatchObject({
      type: "shipping",
      unit_amount: 6125,
      shipping_option_id: "so_1",
    })
  })
})

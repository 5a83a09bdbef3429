import { expressOrder } from "../express"
import { expressLinkOf } from "../express-link"
import type { CartSnapshot } from "../order-lines"

const cart: CartSnapshot = {
  id: "cart_1",
  startsSubscription: false,
  currencyCode: "nok",
  items: [{ id: "item_1", title: "Mug", quantity: 2, total: "747.5", taxTotal: "149.5", taxRatePercent: 25 }],
  shippingMethods: [{ id: "casm_1", shippingOptionId: "so_1", name: "Standard", total: "61.25", taxTotal: "12.25", taxRatePercent: 25 }],
}

describe("an express order (Dintero: amount = items + shipping_option.amount)", () => {
  it("carries the cart's shipping method as the chosen shipping option, never as an item", () => {
    const order = expressOrder(cart, 80875, "NOK")
    expect(order.items.map((item) => item.type)).toEqual(["physical"])
    expect(order.shipping_option).toEqual(expect.objectContaining({ id: "so_1", line_id: "so_1", amount: 6125, vat_amount: 1225, vat: 25 }))
    expect(order.items.reduce((sum, item) => sum + item.amount, 0) + order.shipping_option!.amount).toBe(order.amount)
    expect(order.vat_amount).toBe(14950 + 1225)
  })

  it("without a shipping method is the items alone", () => {
    const order = expressOrder({ ...cart, shippingMethods: [] }, 74750, "NOK")
    expect(order.shipping_option).toBeUndefined()
    expect(order.items.reduce((sum, item) => sum + item.amount, 0)).toBe(74750)
  })
})

describe("the server-side link to an existing express session", () => {
  it("is read only from a well-formed context entry", () => {
    expect(expressLinkOf(undefined)).toBeUndefined()
    expect(expressLinkOf({ dintero_express: { session_id: "" } })).toBeUndefined()
    expect(expressLinkOf({ dintero_express: { session_id: "T1.s", update: "locked" } })).toEqual({ session_id: "T1.s", update: "locked" })
    // Anything but the two explicit modes is a plain server-to-server update.
    expect(expressLinkOf({ dintero_express: { session_id: "T1.s", update: "bogus" } })).toEqual({ session_id: "T1.s", update: "unlocked" })
  })
})

import "../helpers/env"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createCartCreditLinesWorkflow } from "@medusajs/medusa/core-flows"
import { useSeededStore } from "../helpers/seeded-store"
import { useDinteroEmulator } from "../helpers/dintero-store"
import { DINTERO_PROVIDER_ID } from "../helpers/dintero-checkout"
import { captureFulfilledLinesWorkflow } from "../../src/workflows/capture-fulfilled-lines"
import { ensureOk } from "../../scripts/lib/http"
import { createPercentOffCode } from "../../scripts/lib/seed-store"
import {
  addShippingAddress,
  addShippingMethod,
  completeCartOnReturn,
  createCart,
  createPaymentCollection,
  initiatePaymentSession,
} from "../../scripts/lib/store-checkout"

jest.setTimeout(180_000)

// Capture at shipment: each fulfilment captures what it fulfilled (provider option captureOnFulfillment).
const dintero = useDinteroEmulator({ callbackSecret: null, captureOnFulfillment: true })

type Item = { line_id: string; amount: number; vat_amount?: number; quantity?: number; type?: string }
type Body = { amount: number; items?: Item[] }

/**
 * The order lines a capture or refund carries describe what actually happened to the order: a fulfilment
 * captures the lines it shipped, a return's refund gives back the returned lines, and promotions, store
 * credit and gift cards stay visible as lines of their own, always adding up exactly to the amount.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const shop = useSeededStore(api, getContainer)
    const admin = () => shop.admin
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    const accepted = (operation: "capture" | "refund") =>
      dintero.emulator
        .requests()
        .filter((r: any) => r.method === "POST" && r.path.endsWith(`/${operation}`) && r.status < 300)
        .map((r: any) => r.body as Body)
    const transaction = (id: string) => dintero.emulator.transactions().find((t: any) => t.id === id)!
    const byLine = (items: Item[] = []) => Object.fromEntries(items.map((item) => [item.line_id, item.amount]))
    const sum = (items: Item[] = []) => items.reduce((total, item) => total + item.amount, 0)

    /** Waits until Dintero has accepted `count` captures (the fulfilment subscriber runs after the request). */
    async function capturesAccepted(count: number) {
      for (let i = 0; i < 100 && accepted("capture").length < count; i++) await sleep(100)
      // A little longer, so a capture too many would show.
      await sleep(500)
      return accepted("capture")
    }

    async function secondProduct(price: number) {
      const { seeded } = shop
      const product = ensureOk(
        await admin().post<any>("/admin/products", {
          title: "Dintero test mug",
          status: "published",
          shipping_profile_id: seeded.shippingProfileId,
          sales_channels: [{ id: seeded.salesChannelId }],
          options: [{ title: "Size", values: ["One size"] }],
          variants: [{ title: "One size", sku: "DINTERO-TEST-MUG", options: { Size: "One size" }, prices: [{ currency_code: "nok", amount: price }], manage_inventory: false }],
        }),
        "create product"
      ).product
      return product.variants[0].id as string
    }

    const promotion = (code: string, percent: number) => createPercentOffCode(admin(), code, percent)

    /** A guest pays by card through Dintero for `items`, with a promotion code and store credit if given. */
    async function paidOrder(items: Array<{ variant_id: string; quantity: number }>, extra: { promo?: string; credit?: number } = {}) {
      const { store, seeded } = shop
      const cart = await createCart(store, { regionId: seeded.regionId, email: "buyer@example.com", items })
      await addShippingAddress(store, cart.id)
      await addShippingMethod(store, cart.id)
      if (extra.promo) {
        ensureOk(await store.post(`/store/carts/${cart.id}/promotions`, { promo_codes: [extra.promo] }), "apply promotion")
      }
      if (extra.credit) {
        // Store credit as a loyalty or gift-card module gives it: a credit line on the cart (Medusa core-flows).
        await createCartCreditLinesWorkflow(getContainer()).run({
          input: [{ cart_id: cart.id, amount: extra.credit, currency_code: "nok", reference: "store-credit", reference_id: "sc_test", metadata: {} }],
        })
      }
      const collection = await createPaymentCollection(store, cart.id)
      const { paymentSession } = await initiatePaymentSession(store, collection.id, DINTERO_PROVIDER_ID)
      const paid = await dintero.emulator.pay(paymentSession.data.dintero.session_id, { card: "4111111111111111" })
      const completed = await completeCartOnReturn(store, cart.id)
      if (completed.data.type !== "order") {
        throw new Error(`the cart was not completed: ${JSON.stringify(completed.data).slice(0, 300)}`)
      }
      const fields = encodeURIComponent("id,total,*items,*shipping_methods,*payment_collections,*payment_collections.payments")
      const order = ensureOk(await admin().get<any>(`/admin/orders/${completed.data.order.id}?fields=${fields}`), "read order").order
      return { order, payment: order.payment_collections[0].payments[0], tx: transaction(paid.transactionId!) }
    }

    const lineOf = (tx: any, description: RegExp) => tx.items.find((line: any) => description.test(line.description))
    const orderItem = (order: any, title: RegExp) => order.items.find((item: any) => title.test(item.product_title ?? item.title))

    async function fulfil(order: any, items: Array<{ id: string; quantity: number }>) {
      return ensureOk(await admin().post<any>(`/admin/orders/${order.id}/fulfillments`, { items }), "create fulfilment")
    }

    async function receiveReturn(order: any, items: Array<{ id: string; quantity: number }>) {
      const created = ensureOk(await admin().post<any>("/admin/returns", { order_id: order.id }), "create return").return
      ensureOk(await admin().post(`/admin/returns/${created.id}/request-items`, { items }), "request return items")
      ensureOk(await admin().post(`/admin/returns/${created.id}/request`, {}), "confirm return request")
      ensureOk(await admin().post(`/admin/returns/${created.id}/receive`, {}), "start receiving")
      ensureOk(await admin().post(`/admin/returns/${created.id}/receive-items`, { items }), "receive items")
      ensureOk(await admin().post(`/admin/returns/${created.id}/receive/confirm`, {}), "confirm receipt")
      return created.id as string
    }

    it("a fulfilment of part of the order captures exactly the lines it shipped, with the shipping; the next one the rest", async () => {
      const mug = await secondProduct(200)
      const { order, payment, tx } = await paidOrder([
        { variant_id: shop.seeded.variantId, quantity: 2 },
        { variant_id: mug, quantity: 1 },
      ])
      const shirt = lineOf(tx, /T-shirt/)
      const mugLine = lineOf(tx, /mug/i)
      const shipping = tx.items.find((line: any) => line.type === "shipping")

      await fulfil(order, [{ id: orderItem(order, /T-shirt/).id, quantity: 1 }])
      const [first] = await capturesAccepted(1)
      expect(accepted("capture")).toHaveLength(1)
      expect(first.amount).toBe(shirt.amount / 2 + shipping.amount)
      expect(byLine(first.items)).toEqual({ [shirt.line_id]: shirt.amount / 2, [shipping.line_id]: shipping.amount })
      expect(first.items!.find((item) => item.line_id === shirt.line_id)!.quantity).toBe(1)

      await fulfil(order, [
        { id: orderItem(order, /T-shirt/).id, quantity: 1 },
        { id: orderItem(order, /mug/i).id, quantity: 1 },
      ])
      const captures = await capturesAccepted(2)
      expect(captures).toHaveLength(2)
      expect(byLine(captures[1].items)).toEqual({ [shirt.line_id]: shirt.amount / 2, [mugLine.line_id]: mugLine.amount })
      expect(transaction(tx.id).status).toBe("CAPTURED")
      // Medusa recorded both captures: the payment is captured in full.
      const read = ensureOk(await admin().get<any>(`/admin/payments/${payment.id}?fields=id,captured_at,*captures`), "read payment").payment
      expect(read.captures).toHaveLength(2)
      expect(read.captured_at).toBeTruthy()
    })

    it("fulfilments and duplicate deliveries at once capture each line once, never more than the amount", async () => {
      const { order, payment, tx } = await paidOrder([{ variant_id: shop.seeded.variantId, quantity: 4 }])
      const shirt = lineOf(tx, /T-shirt/)
      const shipping = tx.items.find((line: any) => line.type === "shipping")
      const item = orderItem(order, /T-shirt/)

      await fulfil(order, [{ id: item.id, quantity: 1 }])
      // The event delivered again, four times at once, while the subscriber's own run is under way.
      const container = getContainer()
      await Promise.allSettled(
        Array.from({ length: 4 }, () => captureFulfilledLinesWorkflow(container).run({ input: { order_id: order.id } }))
      )
      const captures = await capturesAccepted(1)
      expect(captures).toHaveLength(1)
      expect(captures[0].amount).toBe(shirt.amount / 4 + shipping.amount)
      expect(byLine(captures[0].items)).toEqual({ [shirt.line_id]: shirt.amount / 4, [shipping.line_id]: shipping.amount })

      const read = ensureOk(await admin().get<any>(`/admin/payments/${payment.id}?fields=id,*captures`), "read payment").payment
      expect(read.captures).toHaveLength(1)
      for (const body of accepted("capture")) expect(sum(body.items)).toBe(body.amount)
    })

    it("a promotion stays on the discounted line as discount_lines, and captures and refunds of those lines add up exactly", async () => {
      await promotion("TENOFF", 10)
      const { order, payment, tx } = await paidOrder([{ variant_id: shop.seeded.variantId, quantity: 2 }], { promo: "TENOFF" })
      const shirt = lineOf(tx, /T-shirt/)
      // 2 × 299 NOK + 25 % VAT = 747.50, less 10 %: the line is at its price after the discount, and says what was taken off.
      expect(shirt.amount).toBe(67275)
      expect(shirt.discount_lines).toEqual([expect.objectContaining({ amount: 7475, discount_type: "external", description: "TENOFF" })])
      expect(sum(tx.items)).toBe(tx.amount)
      expect(Math.round(Number(order.total) * 100)).toBe(tx.amount)

      await fulfil(order, [{ id: orderItem(order, /T-shirt/).id, quantity: 1 }])
      const [capture] = await capturesAccepted(1)
      const shipping = tx.items.find((line: any) => line.type === "shipping")
      // One of the two discounted T-shirts: half the line.
      expect(byLine(capture.items)).toEqual({ [shirt.line_id]: Math.round(67275 / 2), [shipping.line_id]: shipping.amount })
      expect(sum(capture.items)).toBe(capture.amount)
      expect(ensureOk(await admin().post(`/admin/payments/${payment.id}/refund`, { amount: 100 }), "refund")).toBeTruthy()
      const [refund] = accepted("refund")
      expect(sum(refund.items)).toBe(10000)
    })

    it("store credit is a negative gift_card line; the last capture takes it, and the lines never add up to more than the amount", async () => {
      const mug = await secondProduct(200)
      const { order, tx } = await paidOrder(
        [
          { variant_id: shop.seeded.variantId, quantity: 1 },
          { variant_id: mug, quantity: 1 },
        ],
        { credit: 100 }
      )
      const credit = tx.items.find((line: any) => line.type === "gift_card")
      expect(credit).toEqual(expect.objectContaining({ amount: -10000, vat_amount: 0, description: "Store credit" }))
      // (299 + 200 + 49 shipping) + 25 % VAT − 100 credit.
      expect(tx.amount).toBe(58500)
      expect(sum(tx.items)).toBe(tx.amount)

      await fulfil(order, [{ id: orderItem(order, /T-shirt/).id, quantity: 1 }])
      const [first] = await capturesAccepted(1)
      const shirt = lineOf(tx, /T-shirt/)
      const shipping = tx.items.find((line: any) => line.type === "shipping")
      expect(byLine(first.items)).toEqual({ [shirt.line_id]: shirt.amount, [shipping.line_id]: shipping.amount })

      await fulfil(order, [{ id: orderItem(order, /mug/i).id, quantity: 1 }])
      const captures = await capturesAccepted(2)
      // What is left is the mug less the credit: the rest of the order, the credit line included.
      expect(captures[1].amount).toBe(25000 - 10000)
      expect(byLine(captures[1].items)).toEqual({ [lineOf(tx, /mug/i).line_id]: 25000, [credit.line_id]: -10000 })
      expect(captures.reduce((total, body) => total + body.amount, 0)).toBe(tx.amount)
      for (const body of captures) expect(sum(body.items)).toBe(body.amount)
    })

    it("when store credit pays for more than the first fulfilment leaves, that capture sends the shipped lines and part of the credit, never the unshipped goods", async () => {
      const mug = await secondProduct(200)
      const { order, tx } = await paidOrder(
        [
          { variant_id: shop.seeded.variantId, quantity: 1 },
          { variant_id: mug, quantity: 1 },
        ],
        { credit: 500 }
      )
      // 685 NOK less 500 NOK credit: Dintero holds 185 NOK.
      expect(tx.amount).toBe(18500)
      const shirt = lineOf(tx, /T-shirt/)
      const shipping = tx.items.find((line: any) => line.type === "shipping")
      const credit = tx.items.find((line: any) => line.type === "gift_card")

      await fulfil(order, [{ id: orderItem(order, /T-shirt/).id, quantity: 1 }])
      const [capture] = await capturesAccepted(1)
      expect(capture.amount).toBe(18500)
      // The T-shirt and shipping are worth 435 NOK: the credit pays the 250 NOK the payment does not cover.
      expect(byLine(capture.items)).toEqual({ [shirt.line_id]: 37375, [shipping.line_id]: 6125, [credit.line_id]: -25000 })
      expect(capture.items!.some((item) => /mug/i.test((item as any).description))).toBe(false)

      // The mug ships later: nothing is left to capture, and nothing is sent.
      await fulfil(order, [{ id: orderItem(order, /mug/i).id, quantity: 1 }])
      expect(await capturesAccepted(1)).toHaveLength(1)
      expect(transaction(tx.id).status).toBe("CAPTURED")
    })

    it("a refund for a returned item sends that item's line; with the shipping refunded too, the shipping line", async () => {
      const mug = await secondProduct(200)
      const { order, payment, tx } = await paidOrder([
        { variant_id: shop.seeded.variantId, quantity: 2 },
        { variant_id: mug, quantity: 1 },
      ])
      const shirt = lineOf(tx, /T-shirt/)
      const mugLine = lineOf(tx, /mug/i)
      const shipping = tx.items.find((line: any) => line.type === "shipping")
      await fulfil(order, order.items.map((item: any) => ({ id: item.id, quantity: item.quantity })))
      await capturesAccepted(1)
      expect(transaction(tx.id).status).toBe("CAPTURED")

      // One T-shirt comes back: the refund for it names that line, one unit.
      await receiveReturn(order, [{ id: orderItem(order, /T-shirt/).id, quantity: 1 }])
      // 299 NOK + 25 % VAT.
      ensureOk(await admin().post(`/admin/payments/${payment.id}/refund`, { amount: 373.75 }), "refund the returned T-shirt")
      const [first] = accepted("refund")
      expect(first.items).toEqual([expect.objectContaining({ line_id: shirt.line_id, amount: 37375, quantity: 1, vat_amount: shirt.vat_amount / 2 })])

      // The mug comes back and the customer gets the shipping back as well.
      await receiveReturn(order, [{ id: orderItem(order, /mug/i).id, quantity: 1 }])
      ensureOk(await admin().post(`/admin/payments/${payment.id}/refund`, { amount: 250 + 61.25 }), "refund the mug and the shipping")
      const [, second] = accepted("refund")
      expect(byLine(second.items)).toEqual({ [mugLine.line_id]: mugLine.amount, [shipping.line_id]: shipping.amount })

      // A plain amount that is no return's worth is shared over what is left, exactly.
      ensureOk(await admin().post(`/admin/payments/${payment.id}/refund`, { amount: 10 }), "plain refund")
      const [, , third] = accepted("refund")
      expect(sum(third.items)).toBe(1000)
      expect(third.items!.every((item) => item.line_id === shirt.line_id)).toBe(true)
    })
  },
})

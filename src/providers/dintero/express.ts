import { container } from "@medusajs/framework"
import { MathBN, Modules } from "@medusajs/framework/utils"
import { listShippingOptionsForCartWorkflow } from "@medusajs/medusa/core-flows"
import { toMinorUnits, type OrderItem, type SessionExpress, type ShippingOption } from "../../lib/dintero"
import { buildOrderLines, sumVat, type CartSnapshot } from "./order-lines"
import { EXPRESS_DISCOUNT_CODES_PATH, EXPRESS_SHIPPING_ADDRESS_PATH, expressCallbackUrl, type DinteroOptions } from "./options"

type Logger = { warn(message: string): void }

/**
 * Dintero Checkout Express (docs /docs/checkout/express, docs/express.md): the shopper gives the address and
 * picks a shipping option inside Dintero's checkout; everything the shopper can pick from is Medusa's.
 *
 * Dintero's order amount is the items plus the chosen `order.shipping_option` (payments spec, SessionOrder:
 * "amount = Σ items + shipping_option.amount"), and the shipping option is not one of the items: after payment
 * it becomes an item of the transaction (docs /docs/checkout/after-payment). So an express order carries the
 * cart's lines without its shipping method, and the shipping method, if the cart has one, as the shipping option.
 */
export type ExpressOrder = {
  amount: number
  vat_amount: number
  items: OrderItem[]
  shipping_option?: ShippingOption
}

export function expressOrder(cart: CartSnapshot | undefined, amountMinor: number, currency: string): ExpressOrder {
  const method = cart?.shippingMethods[0]
  const shippingOption = method ? shippingMethodOption(method, currency) : undefined
  const itemsAmount = amountMinor - (shippingOption?.amount ?? 0)
  const items = buildOrderLines(cart ? { ...cart, shippingMethods: cart.shippingMethods.slice(1) } : undefined, itemsAmount, currency)
  return {
    amount: amountMinor,
    vat_amount: sumVat(items) + (shippingOption?.vat_amount ?? 0),
    items,
    ...(shippingOption ? { shipping_option: shippingOption } : {}),
  }
}

/** The cart's shipping method as Dintero's chosen shipping option: the amount Medusa charges for it, VAT included. */
function shippingMethodOption(method: CartSnapshot["shippingMethods"][number], currency: string): ShippingOption {
  const id = method.shippingOptionId ?? method.id
  return {
    id,
    line_id: id,
    amount: toMinorUnits(method.total, currency),
    vat_amount: toMinorUnits(method.taxTotal, currency),
    vat: method.taxRatePercent,
    title: method.name,
    operator: "",
    delivery_method: "delivery",
  }
}

/** The session's `express` block: Medusa's shipping options for the cart and the plugin's callback routes. */
export function expressBlock(options: DinteroOptions, shippingOptions: ShippingOption[]): SessionExpress {
  return {
    shipping_options: shippingOptions,
    shipping_mode: "shipping_required",
    shipping_address_callback_url: expressCallbackUrl(options, EXPRESS_SHIPPING_ADDRESS_PATH),
    ...(options.expressMaxDiscountCodes > 0
      ? { discount_codes: { max_count: options.expressMaxDiscountCodes, callback_url: expressCallbackUrl(options, EXPRESS_DISCOUNT_CODES_PATH) } }
      : {}),
    customer_types: options.expressCustomerTypes,
  }
}

/**
 * The shipping options Medusa offers this cart (core-flows listShippingOptionsForCartWorkflow: the cart's
 * address, its shipping profiles, stock at the location), each priced as Medusa will charge it, VAT included
 * (the tax module's rate for the cart's address; no VAT before there is an address). An option from a
 * pick-up fulfillment set is offered as `pick_up` at its stock location's address.
 */
export async function expressShippingOptions(cart: CartSnapshot, logger?: Logger): Promise<ShippingOption[]> {
  const currency = (cart.currencyCode ?? "").toUpperCase()
  try {
    const { result } = await listShippingOptionsForCartWorkflow(container).run({ input: { cart_id: cart.id } })
    const available = (result as any[]).filter((option) => option && option.amount !== undefined && option.amount !== null && !option.insufficient_inventory)
    const rates = await shippingTaxRates(available, cart.countryCode, currency)
    return available.map((option) => {
      const rate = rates.get(option.id) ?? 0
      const price = MathBN.convert(option.amount)
      const gross = option.is_tax_inclusive ? price : price.multipliedBy(1 + rate / 100)
      const amount = toMinorUnits(gross.decimalPlaces(2).toFixed(), currency)
      const vatAmount = Math.round(amount - amount / (1 + rate / 100))
      const pickUp = option.service_zone?.fulfillment_set?.type === "pickup"
      const location = option.service_zone?.fulfillment_set?.location?.address
      return {
        id: option.id,
        line_id: option.id,
        amount,
        vat_amount: vatAmount,
        vat: rate,
        title: option.name,
        description: option.type?.description || undefined,
        operator: option.provider_id ?? option.provider?.id ?? "",
        operator_product_id: option.type?.code || undefined,
        delivery_method: pickUp ? "pick_up" : "delivery",
        ...(pickUp && location
          ? {
              pick_up_address: {
                business_name: location.company || undefined,
                address_line: location.address_1 || undefined,
                postal_code: location.postal_code || undefined,
                postal_place: location.city || undefined,
                country: location.country_code ? String(location.country_code).toUpperCase() : undefined,
              },
            }
          : {}),
      } satisfies ShippingOption
    })
  } catch (error) {
    logger?.warn(`Dintero express: could not list shipping options for cart ${cart.id}: ${(error as Error).message}`)
    return []
  }
}

/** VAT rate (percent) of each shipping option for the cart's address, from Medusa's tax module. */
async function shippingTaxRates(options: any[], countryCode: string | undefined, currency: string): Promise<Map<string, number>> {
  const rates = new Map<string, number>()
  if (!countryCode || !options.length) {
    return rates
  }
  const tax = container.resolve(Modules.TAX) as {
    getTaxLines(items: unknown[], context: unknown): Promise<Array<{ shipping_line_id?: string; rate?: number | null }>>
  }
  const lines = await tax.getTaxLines(
    options.map((option) => ({ id: option.id, shipping_option_id: option.id, unit_price: option.amount, currency_code: currency.toLowerCase() })),
    { address: { country_code: countryCode } }
  )
  for (const line of lines) {
    if (line.shipping_line_id) {
      rates.set(line.shipping_line_id, (rates.get(line.shipping_line_id) ?? 0) + Number(line.rate ?? 0))
    }
  }
  return rates
}

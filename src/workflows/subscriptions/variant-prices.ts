import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, MedusaError, Modules, QueryContext } from "@medusajs/framework/utils"
import { toMinorUnits } from "../../lib/dintero"
import type { SubscriptionLine } from "../../modules/subscription"
import { merchantPlan, type MerchantPlan } from "./order-plans"

export type PricedVariant = {
  variant_id: string
  product_id: string
  title: string
  /** Medusa's price of one unit for the region and currency, VAT included, in minor units. */
  unit_amount: number
  vat: number
  /** Whether Medusa's price already includes the tax (the region's or currency's price preference). */
  tax_inclusive: boolean
  plan: MerchantPlan | null
}

/**
 * Prices variants the way Medusa prices them in a cart of the subscription's region and currency (the
 * calculated price, with its tax-inclusive preference) and adds the VAT the Tax module gives for the
 * shipping country: what a renewal bills. The price never comes from the client.
 */
export async function priceVariants(
  container: Pick<MedusaContainer, "resolve">,
  input: { variant_ids: string[]; region_id: string; currency_code: string; country_code?: string | null }
): Promise<Map<string, PricedVariant>> {
  const currency = input.currency_code.toLowerCase()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "variant",
    fields: [
      "id", "title", "metadata", "product.id", "product.title", "product.metadata", "product.type_id",
      "calculated_price.calculated_amount", "calculated_price.is_calculated_price_tax_inclusive", "calculated_price.currency_code",
    ],
    filters: { id: [...new Set(input.variant_ids)] },
    context: { calculated_price: QueryContext({ region_id: input.region_id, currency_code: currency }) },
  })
  const variants = data as any[]
  const taxLines = input.country_code
    ? await container.resolve(Modules.TAX).getTaxLines(
        variants.map((variant) => ({
          id: variant.id,
          product_id: variant.product?.id,
          product_type_id: variant.product?.type_id ?? undefined,
          quantity: 1,
          unit_price: variant.calculated_price?.calculated_amount ?? 0,
          currency_code: currency,
        })),
        { address: { country_code: input.country_code.toLowerCase() } }
      )
    : []
  const priced = new Map<string, PricedVariant>()
  for (const variant of variants) {
    const price = variant.calculated_price
    if (price?.calculated_amount === null || price?.calculated_amount === undefined) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `${variantTitle(variant)} has no price in ${currency.toUpperCase()}.`)
    }
    const vat = Math.round(
      taxLines.filter((line: any) => line.line_item_id === variant.id).reduce((sum: number, line: any) => sum + Number(line.rate ?? 0), 0) * 100
    ) / 100
    const taxInclusive = Boolean(price.is_calculated_price_tax_inclusive)
    const amount = MathBN.convert(price.calculated_amount)
    const gross = taxInclusive ? amount : MathBN.mult(amount, MathBN.add(1, MathBN.div(vat, 100)))
    priced.set(variant.id, {
      variant_id: variant.id,
      product_id: variant.product?.id,
      title: variantTitle(variant),
      unit_amount: toMinorUnits(gross.toFixed(), currency.toUpperCase()),
      vat,
      tax_inclusive: taxInclusive,
      plan: merchantPlan(variant),
    })
  }
  return priced
}

function variantTitle(variant: any): string {
  return [variant.product?.title, variant.title].filter(Boolean).join(" – ") || variant.id
}

/** A priced variant as a subscription line. */
export function pricedLine(priced: PricedVariant, quantity: number, lineId: string): SubscriptionLine {
  return {
    line_id: lineId,
    title: priced.title,
    quantity,
    unit_amount: priced.unit_amount,
    vat: priced.vat,
    type: "item",
    variant_id: priced.variant_id,
    product_id: priced.product_id,
  }
}

/**
 * The lines a subscription bills each period. Amounts are integers in the currency's minor unit and
 * include VAT (Nordic prices are quoted with VAT, and Dintero takes VAT-inclusive amounts with a
 * `vat_amount` beside them).
 */
export type SubscriptionLine = {
  line_id: string
  title: string
  quantity: number
  /** Price of one unit, VAT included, in minor units. */
  unit_amount: number
  /** VAT rate in percent (25 for 25 %). */
  vat: number
  type: "item" | "shipping"
  variant_id?: string | null
  product_id?: string | null
  shipping_option_id?: string | null
}

/** What the Dintero provider accepts as `merchant_initiated.items`. */
export type ChargeItem = {
  id: string
  line_id: string
  description: string
  quantity: number
  amount: number
  vat: number
  vat_amount: number
  type?: "shipping"
}

export function lineAmount(line: Pick<SubscriptionLine, "unit_amount" | "quantity">): number {
  return line.unit_amount * line.quantity
}

/** The VAT contained in a VAT-inclusive amount, rounded half up to a whole minor unit. */
export function vatIncluded(amount: number, vatPercent: number): number {
  if (!vatPercent) {
    return 0
  }
  return Math.round((amount * vatPercent) / (100 + vatPercent))
}

export function periodAmount(lines: SubscriptionLine[]): number {
  return lines.reduce((sum, line) => sum + lineAmount(line), 0)
}

export function periodVat(lines: SubscriptionLine[]): number {
  return lines.reduce((sum, line) => sum + vatIncluded(lineAmount(line), line.vat), 0)
}

export function toChargeItems(lines: SubscriptionLine[]): ChargeItem[] {
  return lines.map((line) => {
    const amount = lineAmount(line)
    return {
      id: line.variant_id ?? line.shipping_option_id ?? line.line_id,
      line_id: line.line_id,
      description: line.title,
      quantity: line.quantity,
      amount,
      vat: line.vat,
      vat_amount: vatIncluded(amount, line.vat),
      ...(line.type === "shipping" ? { type: "shipping" as const } : {}),
    }
  })
}

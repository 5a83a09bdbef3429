import { periodAmount, periodVat, type SubscriptionLine } from "./lines"

/**
 * The charge for upgrading in the middle of a paid period, in minor units:
 *
 *   proration = round_half_up( (new_period_amount − old_period_amount) × (period_end − now) / (period_end − period_start) )
 *
 * computed on integers (milliseconds and minor units, BigInt), charged only when positive. A downgrade
 * is never credited back: its lower price applies from the next period. The VAT inside the proration is
 * the prorated difference of the two plans' VAT, kept within [0, proration].
 */
export type Proration = {
  amount: number
  vat_amount: number
  /** The rate when every new line has the same one; Dintero's line `vat`. */
  vat: number | undefined
  remaining_ms: number
  period_ms: number
}

export function prorate(input: {
  oldLines: SubscriptionLine[]
  newLines: SubscriptionLine[]
  periodStart: Date
  periodEnd: Date
  at: Date
}): Proration {
  const periodMs = input.periodEnd.getTime() - input.periodStart.getTime()
  const remainingMs = Math.min(Math.max(input.periodEnd.getTime() - input.at.getTime(), 0), Math.max(periodMs, 0))
  const rates = new Set(input.newLines.map((line) => line.vat))
  const vat = rates.size === 1 ? [...rates][0] : undefined
  if (periodMs <= 0 || remainingMs === 0) {
    return { amount: 0, vat_amount: 0, vat, remaining_ms: remainingMs, period_ms: periodMs }
  }
  const amount = Math.max(0, scale(periodAmount(input.newLines) - periodAmount(input.oldLines), remainingMs, periodMs))
  const vatDifference = scale(periodVat(input.newLines) - periodVat(input.oldLines), remainingMs, periodMs)
  return {
    amount,
    vat_amount: Math.min(Math.max(vatDifference, 0), amount),
    vat,
    remaining_ms: remainingMs,
    period_ms: periodMs,
  }
}

/** round_half_up(value × numerator / denominator) on integers; halves round away from zero. */
export function scale(value: number, numerator: number, denominator: number): number {
  const product = BigInt(Math.abs(value)) * BigInt(numerator)
  const rounded = (2n * product + BigInt(denominator)) / (2n * BigInt(denominator))
  return Number(value < 0 ? -rounded : rounded)
}

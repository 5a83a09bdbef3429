/**
 * Money at the Dintero boundary: Dintero takes integers in the currency's minor unit (299.90 NOK → 29990,
 * docs /docs/checkout/create-session). Medusa hands us decimal major-unit amounts, so this is the one place
 * where the two meet. Arithmetic is done on decimal strings, never on floats (0.1 + 0.2 problems, and
 * Magento's `amount * 100` float bug noted in the reference).
 */

/** ISO 4217 minor-unit exponents that differ from the default of 2. */
const MINOR_UNIT_EXPONENTS: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
}

export function minorUnitExponent(currency: string): number {
  return MINOR_UNIT_EXPONENTS[currency.toUpperCase()] ?? 2
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/

/**
 * Converts a decimal major-unit amount ("299.9", 299.9, "1e-7" is refused) into an integer of minor units.
 * Rounds half away from zero when Medusa's amount carries more digits than the currency has (tax
 * calculations can produce them); the caller decides whether that is acceptable.
 */
export function toMinorUnits(amount: string | number, currency: string): number {
  const text = typeof amount === "number" ? numberToPlainString(amount) : amount.trim()
  const match = DECIMAL.exec(text)
  if (!match) {
    throw new RangeError(`Not a decimal amount: "${text}"`)
  }
  const [, sign, whole, fraction = ""] = match
  const exponent = minorUnitExponent(currency)
  const kept = fraction.slice(0, exponent).padEnd(exponent, "0")
  const firstDropped = fraction.charAt(exponent)
  let minor = BigInt(whole + kept)
  if (firstDropped && Number(firstDropped) >= 5) {
    minor += 1n
  }
  const result = Number(sign ? -minor : minor)
  if (!Number.isSafeInteger(result)) {
    throw new RangeError(`Amount ${text} ${currency} is too large`)
  }
  return result
}

/**
 * Like toMinorUnits, but only for amounts that are a whole number of minor units ("100.005" NOK is
 * refused, "100.0050" is fine). Money that moves (a capture, a refund) must be exactly what Medusa
 * records: rounding 100.005 to 10001 øre would send Dintero money Medusa does not know about.
 * Returns undefined when the amount is not exact, so the caller can refuse it in its own words.
 */
export function toExactMinorUnits(amount: string | number, currency: string): number | undefined {
  const text = typeof amount === "number" ? numberToPlainString(amount) : amount.trim()
  const fraction = DECIMAL.exec(text)?.[3] ?? ""
  if (/[1-9]/.test(fraction.slice(minorUnitExponent(currency)))) {
    return undefined
  }
  return toMinorUnits(text, currency)
}

/** Integer minor units back to a decimal major-unit string ("29990" NOK → "299.90"). */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError(`Minor-unit amounts must be integers, got ${minor}`)
  }
  const exponent = minorUnitExponent(currency)
  const negative = minor < 0
  const digits = Math.abs(minor).toString().padStart(exponent + 1, "0")
  const whole = digits.slice(0, digits.length - exponent)
  const fraction = digits.slice(digits.length - exponent)
  return `${negative ? "-" : ""}${whole}${exponent ? `.${fraction}` : ""}`
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) {
    throw new RangeError(`Not a finite amount: ${value}`)
  }
  // toFixed(20) would expose binary noise; 15 significant digits is what a double holds exactly.
  const text = value.toString()
  if (!/e/i.test(text)) {
    return text
  }
  return value.toFixed(20).replace(/\.?0+$/, "")
}

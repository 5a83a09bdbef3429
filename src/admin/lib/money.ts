/**
 * Money in the panel: the server answers integers in minor units with the currency's exponent
 * (`decimals`), and takes capture amounts in major units like Medusa's own capture route.
 */

export function formatMinor(amount: number, currency: string, decimals: number): string {
  const major = amount / 10 ** decimals
  try {
    return new Intl.NumberFormat(undefined, {
      style: "currency",
      currency,
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
    }).format(major)
  } catch {
    return `${major.toFixed(decimals)} ${currency}`
  }
}

/** "8.75" → 875 with 2 decimals; undefined for anything that is not a whole number of minor units. */
export function parseMajorToMinor(text: string, decimals: number): number | undefined {
  const match = /^(\d+)(?:[.,](\d*))?$/.exec(text.trim())
  if (!match) {
    return undefined
  }
  const [, whole, fraction = ""] = match
  if (fraction.length > decimals && /[1-9]/.test(fraction.slice(decimals))) {
    return undefined
  }
  const minor = Number(whole + fraction.slice(0, decimals).padEnd(decimals, "0"))
  return Number.isSafeInteger(minor) ? minor : undefined
}

/** Minor units back to the decimal major-unit number the capture route takes (875, 2 → 8.75). */
export function minorToMajor(amount: number, decimals: number): number {
  return Number((amount / 10 ** decimals).toFixed(decimals))
}

/** The currency's own short symbol ("kr" for NOK, "€"), as Medusa's money inputs show it next to the code. */
export function currencySymbol(currency: string): string {
  try {
    const parts = new Intl.NumberFormat(undefined, { style: "currency", currency, currencyDisplay: "narrowSymbol" }).formatToParts(0)
    return parts.find((part) => part.type === "currency")?.value ?? currency
  } catch {
    return currency
  }
}

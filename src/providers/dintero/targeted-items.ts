import { roundDivision, share, splitByLargestRemainder, type LineBalance, type LineShare } from "./line-allocation"
import type { LineLedger } from "./operation-items"

/**
 * The lines a fulfilment or a return names, when the amount Medusa moves is exactly what they are worth.
 *
 * Medusa tells the provider only an amount (capturePayment / refundPayment receive the payment's data and
 * the amount). Which order lines that amount is for follows from the order: a capture of exactly what was
 * fulfilled and not yet captured is those lines (with the shipping, when that is part of the amount), a
 * refund of exactly what was returned and not yet refunded is the returned lines (likewise). When the amount
 * matches none of these, or more than one set of lines could be meant, nothing is guessed: the caller falls
 * back to sharing the amount over the lines (line-allocation.ts). Amounts are integer minor units.
 */

/** Units of each transaction line (by `line_id`) that the order has fulfilled, or had returned. */
export type LineUnits = Record<string, number>

export type LineProgress = {
  /** In total over the order: fulfilled units (captures) or received returned units (refunds). */
  units: LineUnits
  /** Refunds: the units each received return brought back, one entry per return. */
  groups?: LineUnits[]
  /**
   * Captures: store credit and gift cards (negative lines) may pay for what was fulfilled when the
   * payment has less left than the fulfilled lines are worth (see creditCoveredShares).
   */
  creditCovers?: boolean
}

/**
 * The shares moving `amount` for the lines the progress names, or undefined when the amount is not exactly
 * what one set of them is worth. An amount that takes everything left is the allocator's (it lists the
 * whole order, negative gift-card and rounding lines included), unless store credit paid for fulfilled lines.
 */
export function targetedShares(ledger: LineLedger, amount: number, progress: LineProgress): LineShare[] | undefined {
  if (!Number.isInteger(amount) || amount <= 0) {
    return undefined
  }
  const everything = ledger.balances.reduce((sum, balance) => sum + balance.amount, 0)
  const due = dueAmounts(ledger, progress.units)
  const shipping = new Map<string, number>()
  ledger.lines.forEach((line, i) => {
    if (line.type === "shipping" && ledger.balances[i].amount > 0) {
      shipping.set(line.lineId, ledger.balances[i].amount)
    }
  })
  if (amount === everything) {
    return progress.creditCovers ? creditCoveredShares(ledger, amount, new Map([...due, ...shipping])) : undefined
  }
  const sets: Array<Map<string, number>> = [due]
  for (const group of progress.groups ?? []) {
    const part = new Map<string, number>()
    for (const [lineId, owed] of due) {
      const i = ledger.lines.findIndex((line) => line.lineId === lineId)
      part.set(lineId, Math.min(owed, worth(ledger.start[i], group[lineId] ?? 0)))
    }
    sets.push(part)
  }
  const candidates = sets.flatMap((set) => [set, new Map([...set, ...shipping])])
  const matching = new Map<string, Map<string, number>>()
  for (const candidate of candidates) {
    const entries = [...candidate].filter(([, value]) => value > 0)
    if (entries.length && entries.reduce((sum, [, value]) => sum + value, 0) === amount) {
      matching.set(JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), new Map(entries))
    }
  }
  if (matching.size !== 1) {
    return undefined
  }
  const [chosen] = matching.values()
  return ledger.balances.filter((balance) => chosen.has(balance.lineId)).map((balance) => share(balance, chosen.get(balance.lineId)!))
}

/**
 * The last capture of a payment partly paid with store credit or a gift card, when the fulfilled lines are
 * worth more than the payment has left but not everything is fulfilled: the fulfilled lines (and shipping)
 * in full, and the negative lines for the difference, so the capture does not list goods that were not
 * shipped. Undefined when everything is fulfilled (then the whole rest is the order's, listed as it is) or
 * the negative lines cannot make up the difference.
 */
function creditCoveredShares(ledger: LineLedger, amount: number, fulfilled: Map<string, number>): LineShare[] | undefined {
  const fulfilledTotal = [...fulfilled.values()].reduce((sum, value) => sum + value, 0)
  const credits = ledger.balances.filter((balance) => balance.amount < 0)
  const creditTotal = -credits.reduce((sum, balance) => sum + balance.amount, 0)
  const goods = (i: number) => !["shipping", "surcharge", "gift_card"].includes(ledger.lines[i].type ?? "physical")
  const unfulfilled = ledger.balances.some((balance, i) => goods(i) && balance.amount > (fulfilled.get(balance.lineId) ?? 0))
  const difference = fulfilledTotal - amount
  if (!unfulfilled || difference < 0 || difference > creditTotal) {
    return undefined
  }
  const creditParts = difference === 0 ? credits.map(() => 0) : splitByLargestRemainder(difference, credits.map((balance) => -balance.amount))
  return [
    ...ledger.balances.filter((balance) => (fulfilled.get(balance.lineId) ?? 0) > 0).map((balance) => share(balance, fulfilled.get(balance.lineId)!)),
    ...credits.map((balance, i) => share(balance, -creditParts[i])).filter((part) => part.amount !== 0),
  ]
}

/**
 * Per goods line: what its fulfilled (returned) units are worth minus what operations of this kind already
 * took from it, never more than it has left. Shipping, gift-card and rounding lines are not goods.
 */
function dueAmounts(ledger: LineLedger, units: LineUnits): Map<string, number> {
  const due = new Map<string, number>()
  ledger.lines.forEach((line, i) => {
    const count = units[line.lineId] ?? 0
    if (line.type === "shipping" || line.amount <= 0 || !(count > 0)) {
      return
    }
    const start = ledger.start[i]
    const balance = ledger.balances[i]
    const taken = start.amount - balance.amount
    const owed = Math.min(worth(start, count) - taken, balance.amount)
    if (owed > 0) {
      due.set(line.lineId, owed)
    }
  })
  return due
}

/**
 * What `units` of a line are worth at its unit price, in whole minor units: all of the line once every unit
 * is counted, so the parts of a line taken unit by unit add up to the line exactly.
 */
function worth(line: LineBalance, units: number): number {
  if (units >= line.lineQuantity || line.lineQuantity <= 0) {
    return line.lineAmount
  }
  return roundDivision(BigInt(line.lineAmount) * BigInt(Math.round(units * 1000)), BigInt(Math.round(line.lineQuantity * 1000)))
}

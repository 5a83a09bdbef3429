import { roundDivision, share, type LineBalance, type LineShare } from "./line-allocation"
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
}

/**
 * The shares moving `amount` for the lines the progress names, or undefined when the amount is not exactly
 * what one set of them is worth. An amount that takes everything left is the allocator's (it lists the
 * whole order, negative gift-card and rounding lines included).
 */
export function targetedShares(ledger: LineLedger, amount: number, progress: LineProgress): LineShare[] | undefined {
  if (!Number.isInteger(amount) || amount <= 0) {
    return undefined
  }
  const everything = ledger.balances.reduce((sum, balance) => sum + balance.amount, 0)
  if (amount === everything) {
    return undefined
  }
  const due = dueAmounts(ledger, progress.units)
  const shipping = new Map<string, number>()
  ledger.lines.forEach((line, i) => {
    if (line.type === "shipping" && ledger.balances[i].amount > 0) {
      shipping.set(line.lineId, ledger.balances[i].amount)
    }
  })
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

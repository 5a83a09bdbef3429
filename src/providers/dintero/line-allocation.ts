/**
 * How an amount to capture or refund is spread over a transaction's order lines, in integer minor units.
 *
 * Dintero's capture and refund bodies take `items` (line_id, quantity, amount, VAT), which Instabank and
 * Walley/Collector need to know what is being captured or refunded (payments spec, transactions_id_capture_post
 * / transactions_id_refund_post). The items of one operation must add up to its amount exactly, and no line
 * may give more than it has left. This file is the arithmetic only; which lines have what left is read from
 * the transaction in operation-items.ts.
 */

/** What one line has left for this kind of operation (still to capture, or captured and not yet refunded). */
export type LineBalance = {
  lineId: string
  /** Minor units left; may be negative for a line that lowers the total (a rounding line). */
  amount: number
  /** VAT of that amount, minor units. */
  vatAmount: number
  /** The line as ordered: its whole amount and quantity, which fix its unit price. */
  lineAmount: number
  lineQuantity: number
  /** Whether an earlier operation of this kind already named the line (a zero line is then not repeated). */
  touched: boolean
}

export type LineShare = { lineId: string; amount: number; vatAmount: number; quantity: number }

/**
 * Splits `total` (≥ 0) over non-negative `weights` in proportion, in integers that add up to `total` exactly:
 * each share is rounded down and the units left over go to the largest remainders (earlier lines on ties).
 * No share exceeds its weight when `total` ≤ Σweights. BigInt because int32 × int32 passes 2^53.
 */
export function splitByLargestRemainder(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (total === 0 || sum === 0) {
    return weights.map(() => 0)
  }
  const T = BigInt(total)
  const S = BigInt(sum)
  const exact = weights.map((w) => BigInt(w) * T)
  const shares = exact.map((e) => e / S)
  let left = total - shares.reduce((a, b) => a + Number(b), 0)
  const order = exact
    .map((e, index) => ({ index, remainder: e % S }))
    .filter((entry) => entry.remainder > 0n)
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1))
  for (const { index } of order) {
    if (left === 0) break
    shares[index] += 1n
    left -= 1
  }
  return shares.map(Number)
}

/**
 * The shares of `amount` over the balances, or undefined when the lines cannot carry it.
 * - `amount` equal to everything left: every line gives all it has left (negative lines included), and a
 *   zero line nobody named yet is listed too, so a full capture lists the whole order.
 * - Less: a proportional share of the lines that have something left (largest remainder). A negative line
 *   is left for the operation that takes everything, so no share is ever negative.
 */
export function allocateOverLines(balances: LineBalance[], amount: number): LineShare[] | undefined {
  if (!Number.isInteger(amount) || amount <= 0) {
    return undefined
  }
  const everything = balances.reduce((sum, line) => sum + line.amount, 0)
  if (amount === everything) {
    return balances
      .filter((line) => line.amount !== 0 || (line.lineAmount === 0 && !line.touched))
      .map((line) => share(line, line.amount))
  }
  const open = balances.filter((line) => line.amount > 0)
  const available = open.reduce((sum, line) => sum + line.amount, 0)
  if (amount > available) {
    return undefined
  }
  const amounts = splitByLargestRemainder(amount, open.map((line) => line.amount))
  return open.map((line, i) => share(line, amounts[i])).filter((line) => line.amount !== 0)
}

/** `amount` of one line, with the VAT and quantity that part stands for. */
export function share(line: LineBalance, amount: number): LineShare {
  return { lineId: line.lineId, amount, vatAmount: vatShare(line, amount), quantity: quantityFor(line, amount) }
}

/**
 * VAT in proportion to the amount taken from what is left, so that the shares of one line's VAT over all
 * its operations add up to the line's VAT: the operation that takes the rest of the line takes the rest of it.
 */
function vatShare(line: LineBalance, amount: number): number {
  if (amount === line.amount) {
    return line.vatAmount
  }
  if (line.amount === 0 || line.vatAmount === 0) {
    return 0
  }
  const share = roundDivision(BigInt(line.vatAmount) * BigInt(amount), BigInt(line.amount))
  return Math.max(0, Math.min(share, line.vatAmount))
}

/**
 * The quantity the amount stands for at the line's unit price. Dintero's OrderItem allows decimal quantities
 * ("products sold by weight, volume or other denominations"), so a part of a line is a part of its quantity:
 * two of three units when two thirds of the amount are taken, 0.333 when a third of one unit is. Three
 * decimals, never zero for a non-zero amount, never more than the line's quantity.
 */
function quantityFor(line: LineBalance, amount: number): number {
  if (line.lineAmount === 0 || amount === line.lineAmount) {
    return line.lineQuantity
  }
  const thousandths = roundDivision(BigInt(Math.round(line.lineQuantity * 1000)) * BigInt(Math.abs(amount)), BigInt(Math.abs(line.lineAmount)))
  return Math.min(line.lineQuantity, Math.max(1, thousandths) / 1000)
}

/** a / b rounded half away from zero, for b > 0. */
export function roundDivision(a: bigint, b: bigint): number {
  const negative = a < 0n
  const magnitude = negative ? -a : a
  const rounded = (magnitude * 2n + b) / (2n * b)
  return Number(negative ? -rounded : rounded)
}

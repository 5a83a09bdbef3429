import type { OperationItem, Transaction } from "../../lib/dintero"
import { allocateOverLines, type LineBalance, type LineShare } from "./line-allocation"
import { movedByDintero, operationEvents, type MoneyOperation } from "./money-reconciliation"

/**
 * The `items` of a capture or refund: the transaction's own order lines, as much of each as this operation
 * moves. Dintero's transaction carries the lines the checkout was paid with (the shipping option among
 * them), and each capture/refund event the lines it applied to (payments spec, Transaction and
 * TransactionEvent `items`). What a line has left is its amount minus what earlier operations took from it:
 * - to capture: the line minus the CAPTURE events' items;
 * - to refund: what was captured of the line minus the REFUND events' items.
 * Operations Dintero shows without items (auto-capture, the backoffice) are spread over the lines as this
 * plugin would have spread them, so the lines' balances always add up to what Dintero has moved. Events
 * still under way (INITIATE_*) count as moved, as in money-reconciliation.ts.
 */

export type OperationItems = { items: OperationItem[] } | { items?: undefined; reason: string }

export type TransactionLine = {
  lineId: string
  amount: number
  vatAmount: number
  quantity: number
  id?: string
  description?: string
  vat?: number
  type?: OperationItem["type"]
}

/**
 * What each line of the transaction has left for this kind of operation, and what it started from (the
 * line itself to capture; what was captured of it to refund): the start minus the balance is what earlier
 * operations of this kind took from the line.
 */
export type LineLedger = { lines: TransactionLine[]; start: LineBalance[]; balances: LineBalance[] }

export function lineLedger(transaction: Transaction, kind: MoneyOperation): LineLedger | { reason: string } {
  const lines = readLines(transaction.items)
  if (!lines) {
    return { reason: "the transaction carries no order lines with a line_id and an amount" }
  }
  const toCapture = balancesAfter(transaction, "CAPTURE", lines, initialBalances(lines))
  if (!toCapture) {
    return { reason: "the transaction's capture events cannot be matched to its order lines" }
  }
  if (kind === "CAPTURE") {
    return { lines, start: initialBalances(lines), balances: toCapture }
  }
  const captured = capturedBalances(lines, toCapture)
  const balances = balancesAfter(transaction, "REFUND", lines, captured)
  if (!balances) {
    return { reason: "the transaction's refund events cannot be matched to its captured order lines" }
  }
  return { lines, start: captured, balances }
}

/** Items that add up to `amount` exactly, or why the transaction's lines cannot carry it. */
export function operationItems(transaction: Transaction, kind: MoneyOperation, amount: number): OperationItems {
  const ledger = lineLedger(transaction, kind)
  if ("reason" in ledger) {
    return ledger
  }
  const shares = allocateOverLines(ledger.balances, amount)
  if (!shares) {
    return { reason: `its order lines have less than ${amount} left to ${kind === "CAPTURE" ? "capture" : "refund"}` }
  }
  return { items: itemsOf(ledger.lines, shares) }
}

/** The shares as Dintero items, each carrying its line's id, description, VAT rate and type. */
export function itemsOf(lines: TransactionLine[], shares: LineShare[]): OperationItem[] {
  const byId = new Map(lines.map((line) => [line.lineId, line]))
  return shares.map((share) => {
    const line = byId.get(share.lineId)!
    return {
      ...(line.id ? { id: line.id } : {}),
      line_id: line.lineId,
      ...(line.description ? { description: line.description } : {}),
      quantity: share.quantity,
      amount: share.amount,
      vat_amount: share.vatAmount,
      ...(line.vat !== undefined ? { vat: line.vat } : {}),
      ...(line.type ? { type: line.type } : {}),
    }
  })
}

function initialBalances(lines: TransactionLine[]): LineBalance[] {
  return lines.map((line) => ({
    lineId: line.lineId,
    amount: line.amount,
    vatAmount: line.vatAmount,
    lineAmount: line.amount,
    lineQuantity: line.quantity,
    touched: false,
  }))
}

/** What has been captured of each line: the refunds' starting point. A line with nothing captured is not listed. */
function capturedBalances(lines: TransactionLine[], toCapture: LineBalance[]): LineBalance[] {
  return lines.map((line, i) => ({
    lineId: line.lineId,
    amount: line.amount - toCapture[i].amount,
    vatAmount: line.vatAmount - toCapture[i].vatAmount,
    lineAmount: line.amount,
    lineQuantity: line.quantity,
    touched: true,
  }))
}

/**
 * The balances after the operations of `kind` Dintero has applied or is applying: each event's items
 * taken from their lines, then whatever Dintero moved without items spread over what is left.
 */
function balancesAfter(transaction: Transaction, kind: MoneyOperation, lines: TransactionLine[], start: LineBalance[]): LineBalance[] | undefined {
  const balances = start.map((balance) => ({ ...balance }))
  const index = new Map(balances.map((balance, i) => [balance.lineId, i]))
  let attributed = 0
  for (const event of operationEvents(transaction, kind)) {
    const items = readEventItems(event.items, index, event.amount)
    if (!items) {
      continue
    }
    for (const item of items) {
      const i = index.get(item.lineId)!
      const line = lines[i]
      balances[i].amount -= item.amount
      balances[i].vatAmount -= item.vatAmount ?? proportionalVat(line, item.amount)
      balances[i].touched = true
    }
    attributed += event.amount ?? 0
  }
  const unattributed = movedByDintero(transaction, kind) - attributed
  if (unattributed <= 0) {
    return balances
  }
  const spread = allocateOverLines(balances, unattributed)
  if (!spread) {
    return undefined
  }
  for (const share of spread) {
    const balance = balances[index.get(share.lineId)!]
    balance.amount -= share.amount
    balance.vatAmount -= share.vatAmount
    balance.touched = true
  }
  return balances
}

/** An event's items when they name known lines and add up to the event's amount; otherwise it counts as unattributed. */
function readEventItems(raw: unknown, index: Map<string, number>, amount: number | null | undefined) {
  if (!Array.isArray(raw) || raw.length === 0 || typeof amount !== "number") {
    return undefined
  }
  const items: Array<{ lineId: string; amount: number; vatAmount?: number }> = []
  for (const item of raw) {
    const lineId = (item as { line_id?: unknown })?.line_id
    const itemAmount = (item as { amount?: unknown })?.amount
    const vat = (item as { vat_amount?: unknown })?.vat_amount
    if (typeof lineId !== "string" || !index.has(lineId) || !Number.isInteger(itemAmount)) {
      return undefined
    }
    items.push({ lineId, amount: itemAmount as number, ...(Number.isInteger(vat) ? { vatAmount: vat as number } : {}) })
  }
  return items.reduce((sum, item) => sum + item.amount, 0) === amount ? items : undefined
}

function proportionalVat(line: TransactionLine, amount: number): number {
  return line.amount === 0 ? 0 : Math.round((line.vatAmount * amount) / line.amount)
}

/** The transaction's lines, or undefined when any of them cannot be named in an operation. */
function readLines(raw: unknown): TransactionLine[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    return undefined
  }
  const lines: TransactionLine[] = []
  const seen = new Set<string>()
  for (const item of raw as Array<Record<string, unknown>>) {
    const lineId = item?.line_id
    if (typeof lineId !== "string" || !lineId || seen.has(lineId) || !Number.isInteger(item.amount)) {
      return undefined
    }
    seen.add(lineId)
    const quantity = typeof item.quantity === "number" && item.quantity > 0 ? item.quantity : 1
    lines.push({
      lineId,
      amount: item.amount as number,
      vatAmount: Number.isInteger(item.vat_amount) ? (item.vat_amount as number) : 0,
      quantity,
      ...(typeof item.id === "string" && item.id ? { id: item.id } : {}),
      ...(typeof item.description === "string" && item.description ? { description: item.description } : {}),
      ...(typeof item.vat === "number" && item.vat >= 0 ? { vat: item.vat } : {}),
      ...(isItemType(item.type) ? { type: item.type } : {}),
    })
  }
  return lines
}

const ITEM_TYPES = new Set(["physical", "digital", "service", "gift_card", "shipping", "surcharge"])
function isItemType(value: unknown): value is NonNullable<OperationItem["type"]> {
  return typeof value === "string" && ITEM_TYPES.has(value)
}

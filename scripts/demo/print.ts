/**
 * Console output of the demo: sections, one ✔/✖ line per step (with its duration) and indented
 * detail lines. Colours only on a terminal; no stack traces for expected failures.
 */

const tty = process.stdout.isTTY === true && !process.env.NO_COLOR
const paint = (code: string) => (text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text)

export const color = {
  green: paint("32"),
  red: paint("31"),
  yellow: paint("33"),
  cyan: paint("36"),
  dim: paint("2"),
  bold: paint("1"),
}

/** A failure whose message is meant for the person running the demo (printed without a stack). */
export class DemoError extends Error {
  constructor(message: string, readonly details: string[] = []) {
    super(message)
    this.name = "DemoError"
  }
}

/** Thrown by a step that already printed its ✖ line, so the caller does not print it twice. */
export class ReportedError extends Error {
  constructor(readonly cause: unknown) {
    super(errorMessage(cause))
    this.name = "ReportedError"
  }
}

/** Set while the demo shuts down: steps cut short by that are not reported as failures. */
export const run = { stopping: false }

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

export function section(title: string): void {
  console.log(`\n${color.bold(color.cyan("▸ " + title))}`)
}

export function detail(...lines: string[]): void {
  for (const line of lines) console.log(`    ${color.dim("│")} ${line}`)
}

export function note(line: string): void {
  console.log(`  ${line}`)
}

export type StepResult = string | { line: string; details?: string[] }

/**
 * Runs one step. While it runs a terminal shows `… title`; then the line becomes `✔ result` (what
 * `fn` returns) or `✖ title: message`. Errors are re-thrown as ReportedError.
 */
export async function step<T>(title: string, fn: () => Promise<T>, describe: (value: T) => StepResult): Promise<T> {
  const started = Date.now()
  if (tty) process.stdout.write(`  ${color.dim("…")} ${title}`)
  const clear = () => {
    if (tty) process.stdout.write("\r\x1b[2K")
  }
  let value: T
  try {
    value = await fn()
  } catch (error) {
    clear()
    if (!run.stopping) {
      console.log(`  ${color.red("✖")} ${title}: ${color.red(errorMessage(error))}`)
      if (error instanceof DemoError && error.details.length) detail(...error.details)
    }
    throw new ReportedError(error)
  }
  clear()
  const result = describe(value)
  const { line, details } = typeof result === "string" ? { line: result, details: [] } : result
  console.log(`  ${color.green("✔")} ${line}${elapsed(started)}`)
  if (details?.length) detail(...details)
  return value
}

function elapsed(started: number): string {
  const ms = Date.now() - started
  return ms < 300 ? "" : color.dim(` (${(ms / 1000).toFixed(1)} s)`)
}

/** 80875 (øre) → "808.75 NOK". */
export function nokFromMinor(minor: number, currency = "NOK"): string {
  return `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`
}

/** 808.75 (Medusa's major units) → "808.75 NOK". */
export function nok(major: number | string, currency = "NOK"): string {
  return `${Number(major).toFixed(2)} ${currency.toUpperCase()}`
}

export function toMinor(major: number | string): number {
  return Math.round(Number(major) * 100)
}

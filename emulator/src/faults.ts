/**
 * Fault injection for /v1 API routes: error statuses, hanging responses and reset connections,
 * either before the request is processed or after it (the state change happened, but the client
 * sees a failure and has to find out by re-reading).
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { ApiError, errorBody } from "./errors"
import { isObject, send } from "./http"
import { uuid } from "./ids"
import type { EmulatorState } from "./state"
import type { ActiveFault, Fault } from "./types"

const KINDS = ["status", "timeout", "reset"]

const invalidFault = (message: string) => new ApiError(400, "INVALID_FAULT", message)

function pathPattern(path: string | RegExp | undefined): string | undefined {
  return path instanceof RegExp ? `/${path.source}/${path.flags}` : path
}

export function addFault(state: Pick<EmulatorState, "faults">, input: Fault | unknown): ActiveFault {
  if (!isObject(input)) throw invalidFault("A fault must be an object")
  const fault = input as unknown as Fault
  if (!KINDS.includes(fault.kind)) throw invalidFault(`kind must be one of ${KINDS.join(", ")}`)
  if (fault.phase !== undefined && fault.phase !== "before" && fault.phase !== "after") {
    throw invalidFault('phase must be "before" or "after"')
  }
  const count = fault.count ?? 1
  if (!Number.isInteger(count) || count < 1) throw invalidFault("count must be a positive integer")
  if (fault.then !== undefined && !Array.isArray(fault.then)) throw invalidFault("then must be an array of faults")
  const status = fault.status ?? 500
  if (!Number.isInteger(status) || status < 400 || status > 599) throw invalidFault("status must be an HTTP error status")
  const active: ActiveFault = {
    id: uuid(),
    kind: fault.kind,
    phase: fault.phase ?? "before",
    remaining: count,
    ...(fault.match ? { match: { method: fault.match.method, path: pathPattern(fault.match.path) } } : {}),
    ...(fault.kind === "status" ? { status } : {}),
    ...(fault.retryAfter !== undefined ? { retryAfter: fault.retryAfter } : {}),
    ...(fault.delayMs !== undefined ? { delayMs: fault.delayMs } : {}),
    ...(fault.then?.length ? { then: fault.then.map((next) => validated(next)) } : {}),
  }
  state.faults.push(active)
  return active
}

function matches(fault: ActiveFault, method: string, path: string): boolean {
  const match = fault.match
  if (!match) return true
  if (match.method && match.method.toUpperCase() !== method) return false
  if (!match.path) return true
  // "/pattern/flags" is a regex only when the flags are real regex flags: "/sessions/pay" is a path.
  const regex = /^\/(.+)\/([dgimsuy]*)$/.exec(match.path)
  return regex ? new RegExp(regex[1], regex[2]).test(path) : path.includes(match.path)
}

/** A follow-up fault is checked when its parent is added, so a bad one is refused up front. */
function validated(fault: Fault): Fault {
  addFault({ faults: [] }, fault)
  return fault
}

/** Takes the first fault matching the request, using up one of its hits, and arms its follow-ups. */
export function takeFault(state: EmulatorState, method: string, path: string): ActiveFault | undefined {
  const fault = state.faults.find((f) => matches(f, method, path))
  if (!fault) return undefined
  fault.remaining--
  if (fault.remaining <= 0) state.faults = state.faults.filter((f) => f !== fault)
  for (const next of fault.then ?? []) addFault(state, next)
  return fault
}

export const describeFault = (fault: ActiveFault) =>
  `${fault.kind}${fault.status ? ` ${fault.status}` : ""} (${fault.phase})`

/**
 * Acts out the fault. Resolves `true` when the request should go on normally afterwards
 * (a timeout with `delayMs`), `false` when the fault answered (or killed) the request.
 */
export function actOut(fault: ActiveFault, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<boolean> {
  if (fault.kind === "reset") {
    req.socket.destroy()
    return Promise.resolve(false)
  }
  if (fault.kind === "timeout") {
    return new Promise((resolve) => {
      // Without delayMs the response never comes; the client's own timeout ends it.
      if (fault.delayMs !== undefined) setTimeout(() => resolve(!res.destroyed), fault.delayMs)
      res.on("close", () => resolve(false))
    })
  }
  const status = fault.status ?? 500
  const headers: Record<string, string> = fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {}
  const code = status === 429 ? "TOO_MANY_REQUESTS" : status === 503 ? "SERVICE_UNAVAILABLE" : "INTERNAL_SERVER_ERROR"
  send(res, { status, body: errorBody(code, `Injected fault: HTTP ${status}`), headers }, requestId)
  return Promise.resolve(false)
}

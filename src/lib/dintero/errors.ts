/**
 * One error type for everything that goes wrong between us and Dintero. The provider converts it into a
 * MedusaError exactly once (see providers/dintero/errors.ts). Messages never contain credentials, access
 * tokens or card tokens: only Dintero's own error code/message and its request id.
 */
export type DinteroFailureKind =
  /** Dintero answered with a non-2xx status. */
  | "http"
  /** The request never reached Dintero (connection refused, DNS): safe to send again. */
  | "not_sent"
  /** Sent, but no answer arrived (timeout, reset): Dintero may or may not have acted on it. */
  | "ambiguous"
  /** Dintero answered 2xx with a body that does not match the documented schema. */
  | "invalid_response"

export class DinteroError extends Error {
  readonly name = "DinteroError"

  constructor(
    message: string,
    readonly details: {
      kind: DinteroFailureKind
      status?: number
      code?: string
      requestId?: string
      method?: string
      path?: string
      retryAfterMs?: number
    }
  ) {
    super(message)
  }

  get status(): number | undefined {
    return this.details.status
  }

  get code(): string | undefined {
    return this.details.code
  }

  get requestId(): string | undefined {
    return this.details.requestId
  }

  /** Dintero may have applied the request even though we saw a failure: re-read before acting again. */
  get isAmbiguous(): boolean {
    const { kind, status } = this.details
    return kind === "ambiguous" || (kind === "http" && status !== undefined && status >= 500)
  }

  /** The request was certainly not applied (never sent, or rate-limited) and may succeed if sent again. */
  get isSafeToResend(): boolean {
    const { kind, status } = this.details
    return kind === "not_sent" || status === 429
  }
}

export function describeHttpFailure(input: {
  status: number
  method: string
  path: string
  code?: string
  message?: string
  requestId?: string
}): string {
  const what = input.message?.trim() || `HTTP ${input.status}`
  const code = input.code ? ` [${input.code}]` : ""
  const rid = input.requestId ? ` (Dintero request id ${input.requestId})` : ""
  return `Dintero rejected ${input.method} ${input.path} with ${input.status}${code}: ${what}${rid}`
}

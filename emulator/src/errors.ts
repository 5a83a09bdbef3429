/**
 * API errors. Dintero answers every error with
 * `{"error":{"code":string,"message":string,"errors"?:[…]}}` (reference §1, schema `Error`).
 */

export interface ErrorDetail {
  path: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: ErrorDetail[],
    readonly headers?: Record<string, string>
  ) {
    super(message)
  }

  toBody(): { error: { code: string; message: string; errors?: ErrorDetail[] } } {
    return errorBody(this.code, this.message, this.errors)
  }
}

export function errorBody(code: string, message: string, errors?: ErrorDetail[]) {
  return { error: { code, message, ...(errors && errors.length ? { errors } : {}) } }
}

export const badRequest = (message: string, code = "BAD_REQUEST", errors?: ErrorDetail[]) =>
  new ApiError(400, code, message, errors)

export const unauthorized = (message: string) => new ApiError(401, "UNAUTHORIZED", message)

export const forbidden = (message: string) => new ApiError(403, "FORBIDDEN", message)

export const notFound = (message: string) => new ApiError(404, "NOT_FOUND", message)

/** "Invalid state change requested" is the wording Dintero's plugins report for these. */
export const invalidStateChange = (message: string) =>
  new ApiError(400, "INVALID_STATE_CHANGE", `Invalid state change requested: ${message}`)

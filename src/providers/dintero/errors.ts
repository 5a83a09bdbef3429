import { MedusaError } from "@medusajs/framework/utils"
import { DinteroError } from "../../lib/dintero"

/**
 * Converts whatever failed while talking to Dintero into one MedusaError a merchant can act on, keeping
 * Dintero's own message, code and request id (what Dintero support asks for). Called once, at the edge of
 * each provider method.
 */
export function toMedusaError(error: unknown, action: string): MedusaError {
  if (MedusaError.isMedusaError(error)) {
    return error as MedusaError
  }
  if (error instanceof DinteroError) {
    return new MedusaError(medusaTypeFor(error), `Dintero could not ${action}. ${error.message}`)
  }
  if (error && typeof error === "object" && "issues" in error) {
    // A zod error from validating our own request: a bug or bad data on our side, not Dintero's.
    const issues = (error as { issues: Array<{ path: PropertyKey[]; message: string }> }).issues
    const detail = issues.map((issue) => `${issue.path.map(String).join(".")}: ${issue.message}`).join("; ")
    return new MedusaError(MedusaError.Types.INVALID_DATA, `Dintero could not ${action}: invalid request (${detail})`)
  }
  return new MedusaError(
    MedusaError.Types.UNEXPECTED_STATE,
    `Dintero could not ${action}: ${error instanceof Error ? error.message : String(error)}`
  )
}

function medusaTypeFor(error: DinteroError): string {
  const status = error.status
  if (status === undefined || status >= 500 || status === 429) {
    return MedusaError.Types.UNEXPECTED_STATE
  }
  if (status === 401 || status === 403) {
    return MedusaError.Types.UNAUTHORIZED
  }
  if (status === 404) {
    return MedusaError.Types.NOT_FOUND
  }
  return MedusaError.Types.NOT_ALLOWED
}

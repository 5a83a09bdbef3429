import { z, type ZodType } from "zod"
import {
  accessTokenSchema,
  captureRequestSchema,
  createSessionRequestSchema,
  errorBodySchema,
  paymentTokenSessionRequestSchema,
  refundRequestSchema,
  sessionCreatedSchema,
  sessionPayAnsweredSchema,
  sessionPayRefusedSchema,
  sessionPayRequestSchema,
  sessionSchema,
  transactionListSchema,
  transactionSchema,
  updateSessionRequestSchema,
} from "./schemas"

/**
 * The schemas of schemas.ts as the client checks them on every call: compiled with `z.compile` (zod 4), which
 * generates one straight-line parser per schema instead of walking the schema tree for every value. The same
 * rules, the same output (loose objects keep their extra keys) and, on a failure, the same issues: a value the
 * generated parser refuses is handed to zod's ordinary parser, which reports it. Measured in
 * bench/client-floor.ts (bench/RESULTS.md): 3–5x cheaper per value, the largest part of what the client cost on
 * top of the HTTP request. A schema zod cannot compile would be returned unchanged and keep working as before
 * (validators.unit.spec.ts checks that each one is compiled and agrees with its schema).
 *
 * Each is compiled when first used, not at import: compiling all of them takes tens of milliseconds, which a
 * process that never calls Dintero (a worker, a migration) should not pay at boot.
 * The exported schemas stay uncompiled so that they can still be composed (`extend`, `omit`) elsewhere.
 */
export const validators = compiledOnFirstUse({
  // Requests: what our own code builds from Medusa data, checked before it leaves.
  createSessionRequest: createSessionRequestSchema,
  paymentTokenSessionRequest: paymentTokenSessionRequestSchema,
  updateSessionRequest: updateSessionRequestSchema,
  sessionPayRequest: sessionPayRequestSchema,
  captureRequest: captureRequestSchema,
  refundRequest: refundRequestSchema,
  // Answers: what Dintero sends back, checked when it arrives.
  accessToken: accessTokenSchema,
  sessionCreated: sessionCreatedSchema,
  session: sessionSchema,
  transaction: transactionSchema,
  transactionList: transactionListSchema,
  sessionPayAnswered: sessionPayAnsweredSchema,
  sessionPayRefused: sessionPayRefusedSchema,
  errorBody: errorBodySchema,
})

function compiledOnFirstUse<S extends Record<string, ZodType>>(schemas: S): Readonly<S> {
  const compiled = {} as S
  for (const name of Object.keys(schemas) as Array<keyof S>) {
    Object.defineProperty(compiled, name, {
      enumerable: true,
      configurable: true,
      get() {
        const validator = z.compile(schemas[name])
        Object.defineProperty(compiled, name, { value: validator, enumerable: true })
        return validator
      },
    })
  }
  return compiled
}

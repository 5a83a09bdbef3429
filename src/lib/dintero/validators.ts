import { z } from "zod"
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
 * The schemas of schemas.ts as the client checks them on every call: compiled ahead of time with `z.compile`
 * (zod 4), which generates one straight-line parser per schema instead of walking the schema tree per value.
 * The same rules, the same output (loose objects keep their extra keys) and, on a failure, the same issues:
 * a value the generated parser refuses is handed to zod's ordinary parser, which reports it. Measured in
 * bench/client-floor.ts (bench/RESULTS.md): 3–5× cheaper per answer, which is most of what the client cost on
 * top of the HTTP request. A schema zod cannot compile is returned unchanged and keeps working as before.
 *
 * The exported schemas stay uncompiled so that they can still be composed (`extend`, `omit`) elsewhere.
 */
export const validators = {
  // Requests: what our own code builds from Medusa data, checked before it leaves.
  createSessionRequest: z.compile(createSessionRequestSchema),
  paymentTokenSessionRequest: z.compile(paymentTokenSessionRequestSchema),
  updateSessionRequest: z.compile(updateSessionRequestSchema),
  sessionPayRequest: z.compile(sessionPayRequestSchema),
  captureRequest: z.compile(captureRequestSchema),
  refundRequest: z.compile(refundRequestSchema),
  // Answers: what Dintero sends back, checked when it arrives.
  accessToken: z.compile(accessTokenSchema),
  sessionCreated: z.compile(sessionCreatedSchema),
  session: z.compile(sessionSchema),
  transaction: z.compile(transactionSchema),
  transactionList: z.compile(transactionListSchema),
  sessionPayAnswered: z.compile(sessionPayAnsweredSchema),
  sessionPayRefused: z.compile(sessionPayRefusedSchema),
  errorBody: z.compile(errorBodySchema),
}

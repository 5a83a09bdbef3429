import { MedusaError } from "@medusajs/framework/utils"
import { z } from "zod"
import { paymentProductTypeSchema, parseEncryptionKey } from "../../lib/dintero"

const httpUrl = z.url({ protocol: /^https?$/ })

/**
 * The reconciliation job: Dintero retries a callback 20 times and then gives up, and a misconfigured
 * `backendUrl` loses every callback; the job reads back what Dintero knows of Medusa payment sessions that
 * stayed pending, completes the paid ones and releases authorizations nothing in Medusa stands for.
 */
export const reconciliationOptionsSchema = z
  .object({
    /** Run the scheduled job (the admin route runs it on demand either way). */
    job: z.boolean().default(true),
    /** Cron expression of the job. */
    schedule: z.string().regex(/^\S+(\s+\S+){4,5}$/, "must be a cron expression of 5 or 6 fields, e.g. */15 * * * *").default("*/15 * * * *"),
    /** A payment session is read back once it has been pending this long (Dintero's callback had its chance). */
    pendingForMinutes: z.number().int().min(0).max(60 * 24 * 30).default(30),
    /** Sessions older than this are not looked at any more (card authorizations lapse after about 7 days). */
    lookbackHours: z.number().int().min(1).max(24 * 90).default(24 * 8),
    /** An authorization with no Medusa order is voided once it is this old; until then it is only reported. */
    voidOrphansAfterMinutes: z.number().int().min(0).max(60 * 24 * 30).default(24 * 60),
    /** Never void: only report authorizations with no order. */
    voidOrphans: z.boolean().default(true),
    /** At most this many sessions are read back per run (one Dintero request each); the next run continues. */
    maxSessionsPerRun: z.number().int().min(1).max(10_000).default(200),
    /** Sessions read from the database per page. */
    pageSize: z.number().int().min(1).max(500).default(50),
  })
  .strict()
export type ReconciliationOptions = z.infer<typeof reconciliationOptionsSchema>

/**
 * Provider options, validated once at startup (Medusa calls `validateOptions` before constructing the
 * provider). Defaults are Dintero's production hosts; the emulator or a proxy is reached by overriding the
 * two base URLs.
 */
export const dinteroOptionsSchema = z
  .object({
    /** `T` + 8 digits is a test (sandbox) account, `P` + 8 digits production: the prefix decides. */
    accountId: z.string().regex(/^[TP]\d{8}$/, "must be T or P followed by 8 digits, e.g. T12345678"),
    clientId: z.string().min(1, "is required"),
    clientSecret: z.string().min(1, "is required"),
    profileId: z.string().min(1).default("default"),
    /** Public URL of this Medusa backend; Dintero's callbacks go to `${backendUrl}/hooks/dintero/callback`. */
    backendUrl: httpUrl,
    /** Storefront page the payer returns to after the hosted checkout. */
    returnUrl: httpUrl,
    /** Secret from Dintero's `POST /v1/admin/signature`; when set, unsigned or forged callbacks are refused. */
    callbackSecret: z.string().min(8, "must be the secret Dintero returned (8+ characters)").optional(),
    /**
     * Seconds Dintero waits before delivering each callback (`delay_callback`, at most 60: docs
     * /docs/checkout/after-payment, payments spec `CallbackUrl`). The customer's return and the callback race
     * to complete the cart; the return usually lands within a few seconds, so a short delay lets it place the
     * order and the callback then finds it done, instead of both contending for the same locks. It also gives
     * Medusa time to commit its own capture/refund before Dintero reports the event back. Longer delays only
     * postpone the order of a shopper who never comes back, and every Backoffice event reaching Medusa.
     */
    callbackDelaySeconds: z.number().int().min(0).max(60, "must be at most 60 (Dintero's maximum delay_callback)").default(10),
    /** Capture at authorization. Off by default: Nordic practice is to capture at shipment. */
    autoCapture: z.boolean().default(false),
    /**
     * Capture at shipment: each fulfilment Medusa creates captures the lines it fulfilled and has not captured
     * yet (the shipping with the first one), through Medusa's capturePaymentWorkflow so Medusa records it.
     */
    captureOnFulfillment: z.boolean().default(false),
    apiBaseUrl: httpUrl.default("https://api.dintero.com/v1"),
    checkoutBaseUrl: httpUrl.default("https://checkout.dintero.com/v1"),
    /** Per-request timeout towards Dintero. */
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    /** Extra attempts for reads and for requests Dintero certainly did not process. */
    maxRetries: z.number().int().min(0).max(10).default(3),
    retryBaseDelayMs: z.number().int().min(10).max(60_000).default(250),
    retryMaxDelayMs: z.number().int().min(100).max(120_000).default(8_000),
    /** Minutes a checkout session stays payable; Dintero's default applies when unset. */
    sessionTtlMinutes: z.number().int().min(5).max(60 * 24 * 30).optional(),
    /**
     * When a logged-in customer's card is tokenized and saved on their account holder: `never`,
     * `on_request` (the storefront passes `save_card: true`), or `subscriptions` (on request, and always
     * for carts that start a subscription). Guests are never tokenized.
     */
    saveCards: z.enum(["never", "on_request", "subscriptions"]).default("never"),
    /** 32-byte key (hex or base64) sealing saved card tokens with AES-256-GCM. Required unless saveCards is `never`. */
    tokenEncryptionKey: z.string().optional(),
    /** The card product tokens are asked for; it decides the token types (only payex issues recurrence tokens). */
    paymentProductType: paymentProductTypeSchema.default("dintero_psp.creditcard"),
    /** Reading back payments whose callback never arrived (workflows/reconcile-dintero-payments). */
    reconciliation: reconciliationOptionsSchema.prefault({}),
    /**
     * Dintero Checkout Express by default (docs /docs/checkout/express): the shopper gives address, shipping
     * option and discount code inside Dintero's checkout and the Medusa cart follows (docs/express.md). A
     * storefront chooses per session with `data.express: true|false`.
     */
    express: z.boolean().default(false),
    /** Express: who may buy (`express.customer_types`); Dintero's default is both. */
    expressCustomerTypes: z.array(z.enum(["b2c", "b2b"])).min(1).default(["b2c", "b2b"]),
    /** Express: how many discount codes a shopper may enter (`express.discount_codes.max_count`); 0 hides the field. */
    expressMaxDiscountCodes: z.number().int().min(0).max(10).default(1),
  })
  .superRefine((options, ctx) => {
    if (options.saveCards !== "never") {
      if (!options.tokenEncryptionKey) {
        ctx.addIssue({ code: "custom", path: ["tokenEncryptionKey"], message: `is required when saveCards is "${options.saveCards}"` })
      } else {
        try {
          parseEncryptionKey(options.tokenEncryptionKey)
        } catch (error) {
          ctx.addIssue({ code: "custom", path: ["tokenEncryptionKey"], message: (error as Error).message })
        }
      }
    }
    // Real card data flows through a production account: never let it talk to Dintero over plain HTTP.
    if (options.accountId.startsWith("P")) {
      for (const key of ["apiBaseUrl", "checkoutBaseUrl"] as const) {
        if (!options[key].startsWith("https://")) {
          ctx.addIssue({ code: "custom", path: [key], message: "must use https with a production (P) account" })
        }
      }
    }
  })

export type DinteroOptions = z.infer<typeof dinteroOptionsSchema>
export type DinteroOptionsInput = z.input<typeof dinteroOptionsSchema>

export const CALLBACK_PATH = "/hooks/dintero/callback"
/** Express callbacks (docs/express.md): Dintero POSTs the session here when the shopper changes them. */
export const EXPRESS_SHIPPING_ADDRESS_PATH = "/hooks/dintero/express/shipping-address"
export const EXPRESS_DISCOUNT_CODES_PATH = "/hooks/dintero/express/discount-codes"

export function expressCallbackUrl(options: DinteroOptions, path: typeof EXPRESS_SHIPPING_ADDRESS_PATH | typeof EXPRESS_DISCOUNT_CODES_PATH): string {
  return options.backendUrl.replace(/\/+$/, "") + path
}

export function parseDinteroOptions(raw: unknown): DinteroOptions {
  const result = dinteroOptionsSchema.safeParse(raw ?? {})
  if (result.success) {
    return result.data
  }
  const problems = result.error.issues.map((issue) => {
    const option = issue.path.join(".") || "(options)"
    const message = issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message
    return `"${option}" ${message}`
  })
  throw new MedusaError(
    MedusaError.Types.INVALID_DATA,
    `Invalid options for the Dintero payment provider: ${problems.join("; ")}`
  )
}

/**
 * Transaction events Dintero reports to the callback URL (`report_event`, payments spec `CallbackUrl`): what is
 * done in Dintero's Backoffice reaches Medusa through them (workflows/handle-dintero-callback).
 */
export const REPORTED_EVENTS = ["CAPTURE", "REFUND", "VOID"] as const

/**
 * The session's `url.callback_url`. Dintero's callback options are query parameters of the URL itself, which
 * Dintero echoes back on every call and signs with the rest of the URL (docs /docs/checkout/validating-callbacks):
 * `report_event` for captures, refunds and voids made after the payment, `report_error=true` for payments that
 * failed or were cancelled, and `delay_callback` (see `callbackDelaySeconds`).
 */
export function callbackUrl(options: DinteroOptions): URL {
  const url = new URL(options.backendUrl.replace(/\/+$/, "") + CALLBACK_PATH)
  for (const event of REPORTED_EVENTS) {
    url.searchParams.append("report_event", event)
  }
  url.searchParams.set("report_error", "true")
  if (options.callbackDelaySeconds > 0) {
    url.searchParams.set("delay_callback", String(options.callbackDelaySeconds))
  }
  return url
}

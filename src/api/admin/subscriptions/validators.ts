import { z } from "@medusajs/framework/zod"
import { MAX_TRIAL_DAYS } from "../../../modules/subscription/periods"

/** A line billed each period: amounts in minor units (integers), VAT included, VAT rate in percent. */
export const SubscriptionLineSchema = z.object({
  line_id: z.string().min(1).max(100).optional(),
  title: z.string().min(1).max(500),
  quantity: z.number().int().min(1).max(10_000),
  unit_amount: z.number().int().min(0).max(100_000_000),
  vat: z.number().min(0).max(100).default(0),
  type: z.enum(["item", "shipping"]).default("item"),
  variant_id: z.string().optional(),
  product_id: z.string().optional(),
  shipping_option_id: z.string().optional(),
})

/** Lines get `line_1`, `line_2`… unless named; Dintero needs them unique within a charge. */
export const SubscriptionLinesSchema = z
  .array(SubscriptionLineSchema)
  .min(1)
  .max(100)
  .transform((lines) => lines.map((line, index) => ({ ...line, line_id: line.line_id ?? `line_${index + 1}` })))
  .refine((lines) => new Set(lines.map((line) => line.line_id)).size === lines.length, "line_id must be unique")
  // Dintero amounts are 32-bit integers of minor units.
  .refine((lines) => lines.reduce((sum, line) => sum + line.unit_amount * line.quantity, 0) <= 2_000_000_000, "a period may bill at most 2 000 000 000 minor units")

const Interval = z.enum(["day", "week", "month", "year"])
const IntervalCount = z.number().int().min(1).max(365)

export const AdminCreateSubscription = z
  .object({
    customer_id: z.string().min(1),
    card_id: z.string().min(1),
    region_id: z.string().min(1),
    items: SubscriptionLinesSchema,
    interval: Interval,
    interval_count: IntervalCount.default(1),
    starts_at: z.iso.datetime({ offset: true }).optional(),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    /** A free trial on the saved card: the first period is charged this many days after starts_at. */
    trial_days: z.number().int().min(1).max(MAX_TRIAL_DAYS).optional(),
    sales_channel_id: z.string().optional(),
    shipping_address: z.record(z.string(), z.unknown()).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  // A term that ends before it starts would charge nothing and expire at once; it is a mistake in the request.
  .refine((body) => !body.expires_at || Date.parse(body.expires_at) > (body.starts_at ? Date.parse(body.starts_at) : Date.now()), {
    message: "expires_at must be after starts_at (or after now when starts_at is not given)",
    path: ["expires_at"],
  })
export type AdminCreateSubscriptionType = z.infer<typeof AdminCreateSubscription>

export const AdminChangeSubscriptionPlan = z.object({
  items: SubscriptionLinesSchema,
  interval: Interval.optional(),
  interval_count: IntervalCount.optional(),
  prorate: z.boolean().default(false),
})
export type AdminChangeSubscriptionPlanType = z.infer<typeof AdminChangeSubscriptionPlan>

export const AdminCancelSubscription = z.object({ at_period_end: z.boolean().default(false) }).strict()
export type AdminCancelSubscriptionType = z.infer<typeof AdminCancelSubscription>

export const SubscriptionCardChange = z.object({ card_id: z.string().min(1) }).strict()
export type SubscriptionCardChangeType = z.infer<typeof SubscriptionCardChange>

export const EmptyBody = z.object({}).strict()

const Timestamp = z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
  error: "must be a date (2027-01-31) or an ISO 8601 time with an offset (2027-01-31T00:00:00Z)",
})

export const ADMIN_SUBSCRIPTION_ORDERS = ["created_at", "-created_at", "next_charge_at", "-next_charge_at"] as const

/**
 * One value or several: `status=active`, `status=active,paused`, or the list the JS SDK makes of an array
 * (`status[0]=active&status[1]=paused`, an object when qs passes its array limit). Medusa's DataTable select
 * filters hold a list of the values ticked, which the admin's Subscriptions list sends as it is.
 */
const oneOrMany = <T extends z.ZodType<string>>(value: T) =>
  z.preprocess((input) => {
    if (typeof input === "string") {
      const values = input.split(",").map((part) => part.trim()).filter(Boolean)
      return values.length ? values : undefined // `?status=` filters nothing, as before
    }
    if (input && typeof input === "object" && !Array.isArray(input)) return Object.values(input)
    return input
  }, z.array(value).min(1).optional())

export const AdminListSubscriptions = z.object({
  status: oneOrMany(z.enum(["trialing", "active", "past_due", "paused", "canceled", "expired"])),
  customer_id: oneOrMany(z.string().min(1)),
  /** Searches the subscription id, its e-mail, and its customer's e-mail, name and company. */
  q: z.string().trim().min(1).max(200).optional(),
  /** Subscriptions whose next charge is due at or before this time (a date alone means its end, UTC). */
  due_before: Timestamp.optional(),
  order: z.enum(ADMIN_SUBSCRIPTION_ORDERS).default("-created_at"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
})

/** A card-update link for email: how many hours it works (the `subscriptions.cardUpdateLinkTtlHours` option by default). */
export const AdminIssueCardUpdateLink = z.object({ ttl_hours: z.number().positive().max(24 * 60).optional() }).strict()
export type AdminIssueCardUpdateLinkType = z.infer<typeof AdminIssueCardUpdateLink>

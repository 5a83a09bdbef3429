import { asValue } from "@medusajs/framework/awilix"
import { ContainerRegistrationKeys, createMedusaContainer, Modules } from "@medusajs/framework/utils"
import { parseSubscriptionOptions } from "../../../modules/subscription/options"
import { notificationChannelState } from "../notification-channel"
import {
  cardExpiredAt,
  cardExpiringNotice,
  noticeBase,
  noticeRecipient,
  paymentFailedNotice,
  renewalReminderNotice,
  wantsRenewalReminder,
  type NoticeSubscription,
} from "../notices"

const options = parseSubscriptionOptions({}).notifications

const subscription: NoticeSubscription = {
  id: "sub_1",
  customer_id: "cus_1",
  status: "active",
  email: null,
  currency_code: "nok",
  items: [
    { line_id: "l1", title: "Coffee", quantity: 2, unit_amount: 14950, vat: 15, type: "item" },
    { line_id: "l2", title: "Shipping", quantity: 1, unit_amount: 4900, vat: 25, type: "shipping" },
  ],
  interval: "year",
  interval_count: 1,
  next_charge_at: new Date("2028-05-10T08:00:00.000Z"),
  current_period_end: new Date("2028-05-10T08:00:00.000Z"),
  cancel_at_period_end: false,
  card_id: "dcard_1",
  metadata: null,
}
const recipient = { email: "kari@example.com", first_name: "Kari", last_name: "Nordmann" }
const card = { brand: "Visa", masked_pan: "411111******1111", expiry_date: "04/2028" }
const build = (over: Partial<NoticeSubscription> = {}) => {
  const sub = { ...subscription, ...over }
  return { subscription: sub, to: "kari@example.com", base: noticeBase(sub, recipient, card), options }
}

describe("subscription notices", () => {
  it("are named by the README's templates and sent on e-mail by default, with a 7-day yearly reminder and a 14-day card notice", () => {
    expect(options).toMatchObject({
      enabled: true,
      channel: "email",
      job: true,
      renewalReminderDays: 7,
      remindIntervals: ["year"],
      cardExpiryNoticeDays: 14,
      templates: {
        payment_failed: "dintero-subscription-payment-failed",
        past_due: "dintero-subscription-past-due",
        canceled: "dintero-subscription-canceled",
        card_expiring: "dintero-subscription-card-expiring",
        renewal_reminder: "dintero-subscription-renewal-reminder",
      },
    })
    expect(() => parseSubscriptionOptions({ subscriptions: { notifications: { remindIntervals: ["fortnight"] } } })).toThrow(/subscriptions\.notifications\.remindIntervals/)
    expect(() => parseSubscriptionOptions({ subscriptions: { notifications: { renewalReminderDays: 0 } } })).toThrow(/renewalReminderDays/)
  })

  it("carry amounts in minor units and the same idempotency key for the same event", () => {
    const charge = { id: "subch_9", attempt: 2, amount: 34800, period_start: "2028-05-10T08:00:00.000Z", period_end: "2029-05-10T08:00:00.000Z", error_code: "DECLINED" }
    const one = paymentFailedNotice(build(), charge, "2028-05-11T08:00:00.000Z")
    expect(one).toMatchObject({ idempotency_key: "dintero-subscription:payment_failed:subch_9", template: "dintero-subscription-payment-failed", with_card_update_url: true })
    expect(one.data).toMatchObject({ amount: 34800, next_attempt_at: "2028-05-11T08:00:00.000Z", card_update_url: null, card })
    expect(paymentFailedNotice(build(), charge, "2028-05-11T08:00:00.000Z")).toEqual(one)
    const reminder = renewalReminderNotice(build())
    expect(reminder.data.amount).toBe(2 * 14950 + 4900)
    expect(reminder.idempotency_key).toBe("dintero-subscription:renewal_reminder:sub_1:2028-05-10T08:00:00.000Z")
    expect(cardExpiringNotice(build()).idempotency_key).toBe("dintero-subscription:card_expiring:sub_1:dcard_1")
  })

  it("go to the subscription's e-mail, else the customer's", () => {
    expect(noticeRecipient({ email: "billing@example.com" }, recipient)).toBe("billing@example.com")
    expect(noticeRecipient({ email: null }, recipient)).toBe("kari@example.com")
    expect(noticeRecipient({ email: null }, { ...recipient, email: null })).toBeNull()
  })

  it("remind yearly plans by default, and any plan whose merchant turned it on or off", () => {
    expect(wantsRenewalReminder({ interval: "year", metadata: null }, options)).toBe(true)
    expect(wantsRenewalReminder({ interval: "month", metadata: null }, options)).toBe(false)
    expect(wantsRenewalReminder({ interval: "month", metadata: { renewal_reminder: true } }, options)).toBe(true)
    expect(wantsRenewalReminder({ interval: "year", metadata: { renewal_reminder: false } }, options)).toBe(false)
    expect(wantsRenewalReminder({ interval: "month", metadata: null }, { remindIntervals: ["month", "year"] })).toBe(true)
    // The charge that ends a trial is always announced (card networks' free-trial rules).
    expect(wantsRenewalReminder({ interval: "month", status: "trialing", metadata: { renewal_reminder: false } }, options)).toBe(true)
  })

  it("treat a card as valid through the last day of its expiry month", () => {
    expect(cardExpiredAt("04/2028", new Date("2028-04-30T23:59:59.000Z"))).toBe(false)
    expect(cardExpiredAt("04/2028", new Date("2028-05-01T00:00:00.000Z"))).toBe(true)
    expect(cardExpiredAt("04/28", new Date("2028-05-01T00:00:00.000Z"))).toBe(true)
    expect(cardExpiredAt(null, new Date("2099-01-01T00:00:00.000Z"))).toBe(false)
  })
})

describe("a store without a notification provider for the channel", () => {
  const store = (modules: Record<string, unknown>, loaded = true) => {
    const container = createMedusaContainer()
    container.register(ContainerRegistrationKeys.CONFIG_MODULE, asValue({ modules }))
    if (loaded) {
      container.register(Modules.NOTIFICATION, asValue({}))
    }
    return container
  }
  const local = (channels: string[]) => ({ options: { providers: [{ resolve: "@medusajs/medusa/notification-local", id: "local", options: { channels } }] } })

  it("is told why the notices are skipped: Medusa's default (feed only), no module, no provider", () => {
    expect(notificationChannelState(store({ [Modules.NOTIFICATION]: local(["feed"]) }), "email")).toEqual({
      ready: false,
      why: 'no notification provider is configured for the "email" channel',
    })
    expect(notificationChannelState(store({}, false), "email")).toMatchObject({ ready: false, why: expect.stringMatching(/not loaded/) })
    expect(notificationChannelState(store({ [Modules.NOTIFICATION]: true }), "email")).toMatchObject({ ready: false })
  })

  it("is ready once a provider serves the channel, or Medusa Cloud's e-mail is configured", () => {
    expect(notificationChannelState(store({ [Modules.NOTIFICATION]: local(["feed", "email"]) }), "email")).toEqual({ ready: true })
    expect(notificationChannelState(store({ [Modules.NOTIFICATION]: local(["sms"]) }), "sms")).toEqual({ ready: true })
    const cloud = { options: { cloud: { api_key: "k", endpoint: "https://emails.example", environment_handle: "env" } } }
    expect(notificationChannelState(store({ [Modules.NOTIFICATION]: cloud }), "email")).toEqual({ ready: true })
    expect(notificationChannelState(store({ [Modules.NOTIFICATION]: cloud }), "sms")).toMatchObject({ ready: false })
  })
})

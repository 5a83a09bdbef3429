import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { NoticeOptions } from "../../modules/subscription/options"
import { findCustomerCard, subscriptionModule } from "../subscriptions/helpers"
import { noticeBase, noticeRecipient, publicNoticeCard, type NoticeBase, type NoticeSubscription } from "./notices"

type Container = Pick<MedusaContainer, "resolve">

export type NoticeSubject = { subscription: NoticeSubscription; to: string; base: NoticeBase; options: NoticeOptions; card_expiry: string | null }

/**
 * Who a notice about a subscription goes to and what it says about it: the subscription, the customer's
 * name and e-mail, the public half of the card it is paid with. `null` when there is nobody to write to.
 */
export async function loadNoticeSubject(container: Container, subscription: NoticeSubscription): Promise<NoticeSubject | null> {
  const service = subscriptionModule(container)
  const options = service.getOptions()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "customer", fields: ["id", "email", "first_name", "last_name"], filters: { id: subscription.customer_id } })
  const customer = data[0] as { email?: string | null; first_name?: string | null; last_name?: string | null } | undefined
  const recipient = { email: customer?.email ?? null, first_name: customer?.first_name ?? null, last_name: customer?.last_name ?? null }
  const to = noticeRecipient(subscription, recipient)
  if (!to) {
    return null
  }
  const saved = await findCustomerCard(container, subscription.customer_id, subscription.card_id, options.providerId)
  const card = publicNoticeCard(saved as { brand?: string | null; masked_pan?: string | null; expiry_date?: string | null } | undefined)
  return { subscription, to, base: noticeBase(subscription, recipient, card), options: options.notifications, card_expiry: card?.expiry_date ?? null }
}

export async function retrieveNoticeSubscription(container: Container, id: string): Promise<NoticeSubscription | null> {
  const [row] = await subscriptionModule(container).listSubscriptions({ id }, { take: 1 })
  return (row as unknown as NoticeSubscription) ?? null
}

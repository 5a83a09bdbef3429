import { model } from "@medusajs/framework/utils"

export const CARD_SETUP_STATUSES = ["open", "completed", "declined"] as const

/**
 * A card being saved without a purchase: one Dintero zero-amount token session (POST
 * /v1/sessions/payment-token), whose merchant_reference is this record's id. Started by a logged-in customer
 * or through a card-update link; completed once, by whichever of Dintero's callback and the customer's return
 * comes first (workflows/card-setup). It holds no token: the card is saved on the customer's account holder
 * like a card saved at checkout.
 */
const CardSetup = model
  .define("card_setup", {
    id: model.id({ prefix: "dcset" }).primaryKey(),
    customer_id: model.text(),
    account_holder_id: model.text(),
    provider_id: model.text(),
    payment_product_type: model.text(),
    currency_code: model.text(),
    dintero_session_id: model.text().nullable(),
    status: model.enum([...CARD_SETUP_STATUSES]).default("open"),
    /** The subscriptions whose card the new card replaces (ids), and whether it is all the customer's live ones. */
    subscription_ids: model.json(),
    all_subscriptions: model.boolean().default(false),
    /** Set when started through a card-update link (card_update_link): the card goes to that link's subscription. */
    link_id: model.text().nullable(),
    transaction_id: model.text().nullable(),
    card_id: model.text().nullable(),
    /** What completing it did: the subscriptions given the card, those retried, and why any was not. */
    result: model.json().nullable(),
    completed_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["customer_id"] }, { on: ["link_id"] }])

export default CardSetup

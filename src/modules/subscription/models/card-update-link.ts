import { model } from "@medusajs/framework/utils"

/**
 * A signed, expiring, single-use link for one subscription's card, for emails (workflows/card-setup). The
 * link carries a random token; only its SHA-256 is stored, so the table cannot be turned back into working
 * links. Bound to the subscription and its customer; consumed when a card is attached through it (once, under
 * a lock), and revocable.
 */
const CardUpdateLink = model
  .define("card_update_link", {
    id: model.id({ prefix: "dculink" }).primaryKey(),
    subscription_id: model.text(),
    customer_id: model.text(),
    token_hash: model.text(),
    expires_at: model.dateTime(),
    consumed_at: model.dateTime().nullable(),
    /** The card setup whose card was attached through the link. */
    consumed_by: model.text().nullable(),
    revoked_at: model.dateTime().nullable(),
  })
  .indexes([{ on: ["token_hash"], unique: true }, { on: ["subscription_id"] }])

export default CardUpdateLink

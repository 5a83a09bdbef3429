import { model } from "@medusajs/framework/utils"

/**
 * The secret half of a saved card: its Dintero token(s), sealed with AES-256-GCM and bound to the account
 * holder, and the token ids Dintero knows them by. The public half (brand, masked PAN, expiry) lives on
 * Medusa's account holder, whose `data` Medusa copies into every payment session's `context` — which the
 * store cart and admin order APIs return. Nothing secret, not even sealed, may be there: it is here.
 */
const DinteroCardCredential = model
  .define("dintero_card_credential", {
    /** The saved card's id (`dcard_…`), as listed on the account holder. */
    id: model.id().primaryKey(),
    account_holder_id: model.text(),
    sealed_tokens: model.text(),
    payment_token_id: model.text().nullable(),
    recurrence_token_id: model.text().nullable(),
  })
  .indexes([{ on: ["account_holder_id"] }, { on: ["account_holder_id", "payment_token_id"] }])

export default DinteroCardCredential

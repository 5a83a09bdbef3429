import { randomBytes } from "node:crypto"
import type { Transaction } from "../../../lib/dintero"
import { CARD_BLOCKED_CODE, CardVault, isExpired, publicCard } from "../card-vault"

function memoryAccountHolders() {
  const rows = new Map<string, { id: string; data: Record<string, unknown> }>([["acchld_1", { id: "acchld_1", data: {} }]])
  return {
    rows,
    retrieve: async (id: string) => structuredClone(rows.get(id)!),
    update: async ({ id, data }: { id: string; data: Record<string, unknown> }) => void rows.set(id, { id, data }),
  }
}

const paidWithToken = (id = "T12345678.tx1"): Transaction => ({
  id,
  status: "AUTHORIZED",
  amount: 1000,
  currency: "NOK",
  payment_product_type: "dintero_psp.creditcard",
  card: {
    brand: "Visa",
    masked_pan: "411111******1111",
    expiry_date: "12/2030",
    payment_token: "secret-payment-token",
    payment_token_id: "ptid_1",
  },
})

describe("saved cards on the account holder", () => {
  const key = randomBytes(32)

  it("stores the token sealed, lists it masked and gives it back only to its own account holder", async () => {
    const holders = memoryAccountHolders()
    const vault = new CardVault(holders, key)
    const card = (await vault.saveFromTransaction("acchld_1", paidWithToken()))!

    expect(JSON.stringify(holders.rows.get("acchld_1"))).not.toContain("secret-payment-token")
    expect(publicCard(card)).not.toHaveProperty("sealed_tokens")
    expect(await vault.tokensFor("acchld_1", card.id)).toEqual({ card, tokens: { payment_token: "secret-payment-token" } })
  })

  it("saves a transaction's card once however often it is asked", async () => {
    const vault = new CardVault(memoryAccountHolders(), key)
    const first = await vault.saveFromTransaction("acchld_1", paidWithToken())
    const second = await vault.saveFromTransaction("acchld_1", paidWithToken())
    expect(second!.id).toBe(first!.id)
    expect(await vault.cards("acchld_1")).toHaveLength(1)
  })

  it("fails clearly, without token material, when the key changed", async () => {
    const holders = memoryAccountHolders()
    const card = (await new CardVault(holders, key).saveFromTransaction("acchld_1", paidWithToken()))!
    const error = await new CardVault(holders, randomBytes(32)).tokensFor("acchld_1", card.id).catch((e) => e)
    expect(error.message).toMatch(/cannot be used.*tokenEncryptionKey changed/)
    expect(error.message).not.toContain(card.sealed_tokens)
  })

  it("a card declined with DO_NOT_RETRY gives no tokens for a charge without the customer, until a later checkout re-authorizes it", async () => {
    const vault = new CardVault(memoryAccountHolders(), key)
    const card = (await vault.saveFromTransaction("acchld_1", paidWithToken()))!
    await vault.block("acchld_1", card.id, { code: "DO_NOT_RETRY", at: "2027-01-01T00:00:00.000Z", transaction_id: "T12345678.mit1" })

    const refused = await vault.tokensFor("acchld_1", card.id, new Date(), { merchantInitiated: true }).catch((e) => e)
    expect(refused).toMatchObject({ code: CARD_BLOCKED_CODE, message: expect.stringMatching(/DO_NOT_RETRY on 2027-01-01.*save a new card/) })
    expect(publicCard((await vault.cards("acchld_1"))[0]).blocked).toMatchObject({ code: "DO_NOT_RETRY" })
    // The customer paying at a checkout with the saved card (customer-present) is not refused.
    await expect(vault.tokensFor("acchld_1", card.id)).resolves.toMatchObject({ card: { id: card.id } })

    // A late, repeated save of the checkout the card came from does not lift the mark.
    await vault.saveFromTransaction("acchld_1", paidWithToken())
    await expect(vault.tokensFor("acchld_1", card.id, new Date(), { merchantInitiated: true })).rejects.toMatchObject({ code: CARD_BLOCKED_CODE })
    // A later checkout paid with the same card (same token id) re-authorizes it.
    const again = await vault.saveFromTransaction("acchld_1", { ...paidWithToken("T12345678.tx2"), created_at: "2027-02-01T00:00:00.000Z" } as Transaction)
    expect(again).toMatchObject({ id: card.id, blocked: null, reauthorized: { transaction_id: "T12345678.tx2" } })
    await expect(vault.tokensFor("acchld_1", card.id, new Date(), { merchantInitiated: true })).resolves.toMatchObject({ card: { id: card.id } })
  })

  it("refuses an expired card and an unknown one", async () => {
    const vault = new CardVault(memoryAccountHolders(), key)
    const card = (await vault.saveFromTransaction("acchld_1", paidWithToken()))!
    await expect(vault.tokensFor("acchld_1", card.id, new Date("2031-01-01T00:00:00Z"))).rejects.toThrow(/expired \(12\/2030\)/)
    await expect(vault.tokensFor("acchld_1", "dcard_other")).rejects.toThrow(/not found/)
  })

  it("treats a card as valid through the last day of its expiry month", () => {
    expect(isExpired({ expiry_date: "02/2028" }, new Date("2028-02-29T23:59:59Z"))).toBe(false)
    expect(isExpired({ expiry_date: "02/2028" }, new Date("2028-03-01T00:00:00Z"))).toBe(true)
  })

  it("saves nothing when Dintero returned no token", async () => {
    const vault = new CardVault(memoryAccountHolders(), key)
    const transaction = paidWithToken()
    transaction.card = { ...transaction.card, payment_token: null }
    expect(await vault.saveFromTransaction("acchld_1", transaction)).toBeUndefined()
  })
})

import { randomBytes } from "node:crypto"
import type { Transaction } from "../../../lib/dintero"
import { CARD_BLOCKED_CODE, CardVault, isExpired, publicCard, type CardCredential, type CredentialStore } from "../card-vault"

function memoryAccountHolders() {
  const rows = new Map<string, { id: string; data: Record<string, unknown> }>([["acchld_1", { id: "acchld_1", data: {} }]])
  return {
    rows,
    retrieve: async (id: string) => structuredClone(rows.get(id)!),
    update: async ({ id, data }: { id: string; data: Record<string, unknown> }) => void rows.set(id, { id, data }),
  }
}

/** The card vault module's table, in memory (the integration suites run the real module). */
function memoryCredentials() {
  const rows = new Map<string, CardCredential>()
  const store: CredentialStore = {
    listDinteroCardCredentials: async (filters) =>
      [...rows.values()].filter((row) => Object.entries(filters).every(([key, value]) => (row as any)[key] === value)).map((row) => ({ ...row })),
    createDinteroCardCredentials: async (data) => void rows.set(data.id, { ...data }),
    deleteDinteroCardCredentials: async (id) => void rows.delete(id),
  }
  return { rows, store: () => store }
}

function vaultWith(holders = memoryAccountHolders(), credentials = memoryCredentials(), vaultKey = key) {
  return new CardVault(holders, vaultKey, credentials.store)
}

const key = randomBytes(32)

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
  it("stores the token sealed, lists it masked and gives it back only to its own account holder", async () => {
    const holders = memoryAccountHolders()
    const credentials = memoryCredentials()
    const vault = vaultWith(holders, credentials)
    const card = (await vault.saveFromTransaction("acchld_1", paidWithToken()))!

    // Medusa copies the account holder into payment sessions: neither the token nor its sealed form is there.
    const holderData = JSON.stringify(holders.rows.get("acchld_1"))
    expect(holderData).not.toContain("secret-payment-token")
    expect(holderData).not.toContain(credentials.rows.get(card.id)!.sealed_tokens)
    expect(holderData).not.toContain("ptid_1")
    expect(JSON.stringify([...credentials.rows.values()])).not.toContain("secret-payment-token")
    expect(publicCard(card)).not.toHaveProperty("sealed_tokens")
    expect(await vault.tokensFor("acchld_1", card.id)).toEqual({ card, tokens: { payment_token: "secret-payment-token" } })
    await expect(vault.tokensFor("acchld_2", card.id)).rejects.toThrow()
  })

  it("saves a transaction's card once however often it is asked", async () => {
    const vault = vaultWith()
    const first = await vault.saveFromTransaction("acchld_1", paidWithToken())
    const second = await vault.saveFromTransaction("acchld_1", paidWithToken())
    expect(second!.id).toBe(first!.id)
    expect(await vault.cards("acchld_1")).toHaveLength(1)
  })

  it("fails clearly, without token material, when the key changed", async () => {
    const holders = memoryAccountHolders()
    const credentials = memoryCredentials()
    const card = (await vaultWith(holders, credentials).saveFromTransaction("acchld_1", paidWithToken()))!
    const error = await vaultWith(holders, credentials, randomBytes(32)).tokensFor("acchld_1", card.id).catch((e) => e)
    expect(error.message).toMatch(/cannot be used.*tokenEncryptionKey changed/)
    expect(error.message).not.toContain(credentials.rows.get(card.id)!.sealed_tokens)
  })

  it("a card declined with DO_NOT_RETRY gives no tokens for a charge without the customer, until a later checkout re-authorizes it", async () => {
    const vault = vaultWith()
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
    const vault = vaultWith()
    const card = (await vault.saveFromTransaction("acchld_1", paidWithToken()))!
    await expect(vault.tokensFor("acchld_1", card.id, new Date("2031-01-01T00:00:00Z"))).rejects.toThrow(/expired \(12\/2030\)/)
    await expect(vault.tokensFor("acchld_1", "dcard_other")).rejects.toThrow(/not found/)
  })

  it("treats a card as valid through the last day of its expiry month", () => {
    expect(isExpired({ expiry_date: "02/2028" }, new Date("2028-02-29T23:59:59Z"))).toBe(false)
    expect(isExpired({ expiry_date: "02/2028" }, new Date("2028-03-01T00:00:00Z"))).toBe(true)
  })

  it("saves nothing when Dintero returned no token", async () => {
    const vault = vaultWith()
    const transaction = paidWithToken()
    transaction.card = { ...transaction.card, payment_token: null }
    expect(await vault.saveFromTransaction("acchld_1", transaction)).toBeUndefined()
  })

  it("forgetting a card deletes its tokens too", async () => {
    const credentials = memoryCredentials()
    const vault = vaultWith(memoryAccountHolders(), credentials)
    const card = (await vault.saveFromTransaction("acchld_1", paidWithToken()))!
    expect(await vault.remove("acchld_1", card.id)).toBe(true)
    expect(credentials.rows.size).toBe(0)
    expect(await vault.cards("acchld_1")).toEqual([])
    expect(await vault.remove("acchld_1", card.id)).toBe(false)
  })

  it("a card saved by version 0.1 with its sealed tokens on the holder still pays, and its secrets move off the holder on the next save", async () => {
    const holders = memoryAccountHolders()
    const credentials = memoryCredentials()
    const legacy = (await vaultWith(holders, credentials).saveFromTransaction("acchld_1", paidWithToken("T12345678.old")))!
    // What 0.1 stored: the secret half inline on the holder, no credential row.
    const { sealed_tokens, payment_token_id, recurrence_token_id } = credentials.rows.get(legacy.id)!
    const inline = { ...legacy, sealed_tokens, payment_token_id, recurrence_token_id }
    credentials.rows.clear()
    holders.rows.set("acchld_1", { id: "acchld_1", data: { cards: [inline] } })

    const vault = vaultWith(holders, credentials)
    expect((await vault.tokensFor("acchld_1", legacy.id)).tokens).toEqual({ payment_token: "secret-payment-token" })
    expect(await vault.cards("acchld_1")).toEqual([legacy])

    await vault.saveFromTransaction("acchld_1", { ...paidWithToken("T12345678.new"), card: { ...paidWithToken().card, payment_token_id: "ptid_2" } })
    expect(JSON.stringify(holders.rows.get("acchld_1"))).not.toContain(inline.sealed_tokens)
    expect(credentials.rows.get(legacy.id)!.sealed_tokens).toBe(inline.sealed_tokens)
    expect((await vault.tokensFor("acchld_1", legacy.id)).tokens).toEqual({ payment_token: "secret-payment-token" })
  })
})

import type { DinteroClient, Transaction } from "../../../lib/dintero"
import { readPaymentState } from "../payment-state"
import type { DinteroData } from "../session-data"

/** Dintero as the provider reads it: one session and the transactions it knows. */
function dinteroKnowing(transactions: Transaction[], session: { id: string; transaction_id?: string }) {
  return {
    getSession: async (id: string) => {
      if (id !== session.id) throw new Error(`unknown session ${id}`)
      return { id, transaction_id: session.transaction_id ?? null, events: [] }
    },
    getTransaction: async (id: string) => {
      const found = transactions.find((tx) => tx.id === id)
      if (!found) throw new Error(`unknown transaction ${id}`)
      return found
    },
    listTransactions: async (query: { sessionId?: string }) => transactions.filter((tx) => tx.session_id === query.sessionId),
  } as unknown as DinteroClient
}

/** The same Dintero, counting what the provider asks it. */
function counting(client: DinteroClient) {
  const asked: string[] = []
  const wrap = (name: "getSession" | "getTransaction" | "listTransactions") => {
    const original = (client as any)[name]
    ;(client as any)[name] = (...args: unknown[]) => {
      asked.push(name)
      return original(...args)
    }
  }
  wrap("getSession")
  wrap("getTransaction")
  wrap("listTransactions")
  return asked
}

const transaction = (fields: Partial<Transaction>): Transaction =>
  ({ id: "T12345678.tx", amount: 80875, currency: "NOK", status: "AUTHORIZED", events: [], ...fields }) as Transaction

const checkout: DinteroData = { session_id: "T12345678.mine", medusa_session_id: "payses_1", amount: 80875, currency: "NOK" }

describe("which Dintero transaction pays a checkout", () => {
  it("a transaction that names no checkout session is not this cart's payment, even when the data points at it", async () => {
    const orphan = transaction({ id: "T12345678.other", session_id: undefined })
    const client = dinteroKnowing([orphan], { id: checkout.session_id })
    await expect(readPaymentState(client, { ...checkout, transaction_id: orphan.id })).rejects.toThrow(/checkout session \(none/)
  })

  it("another checkout session's transaction is refused", async () => {
    const other = transaction({ id: "T12345678.other", session_id: "T12345678.theirs" })
    const client = dinteroKnowing([other], { id: checkout.session_id })
    await expect(readPaymentState(client, { ...checkout, transaction_id: other.id })).rejects.toThrow(/checkout session/)
  })

  it("the transaction of this checkout session is read as this payment", async () => {
    const mine = transaction({ id: "T12345678.mine-tx", session_id: checkout.session_id })
    const client = dinteroKnowing([mine], { id: checkout.session_id, transaction_id: mine.id })
    const state = await readPaymentState(client, checkout)
    expect(state.transaction?.id).toBe(mine.id)
    expect(state.data.transaction_id).toBe(mine.id)
  })

  it("a paid checkout is found with one search by session, without reading the session first", async () => {
    const mine = transaction({ id: "T12345678.mine-tx", session_id: checkout.session_id })
    const client = dinteroKnowing([mine], { id: checkout.session_id, transaction_id: mine.id })
    const asked = counting(client)
    const state = await readPaymentState(client, checkout)
    expect(state.transaction?.id).toBe(mine.id)
    expect(asked).toEqual(["listTransactions"])
  })

  it("a session whose transaction the search does not show yet is read, and its transaction with it", async () => {
    const mine = transaction({ id: "T12345678.mine-tx", session_id: checkout.session_id })
    const client = dinteroKnowing([mine], { id: checkout.session_id, transaction_id: mine.id })
    ;(client as any).listTransactions = async () => []
    const state = await readPaymentState(client, checkout)
    expect(state.transaction?.id).toBe(mine.id)
  })

  it("the transaction a callback just read is used as it is, and still refused when it is not this payment's", async () => {
    const mine = transaction({ id: "T12345678.mine-tx", session_id: checkout.session_id })
    const client = dinteroKnowing([mine], { id: checkout.session_id, transaction_id: mine.id })
    const asked = counting(client)
    expect((await readPaymentState(client, checkout, [], mine)).transaction?.id).toBe(mine.id)
    expect(asked).toEqual([])
    const otherAmount = transaction({ id: "T12345678.mine-tx", session_id: checkout.session_id, amount: 1 })
    await expect(readPaymentState(client, checkout, [], otherAmount)).rejects.toThrow(/amount/)
  })

  it("a merchant-initiated charge is recognised by its own transaction when Dintero named no session for it", async () => {
    const charge = transaction({ id: "T12345678.charge", session_id: undefined })
    const data: DinteroData = { ...checkout, session_id: charge.id, transaction_id: charge.id, merchant_initiated: true }
    const state = await readPaymentState(dinteroKnowing([charge], { id: "unused" }), data)
    expect(state.transaction?.id).toBe(charge.id)
  })
})

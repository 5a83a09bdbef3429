import { mayNeedCardVerification } from "../authorize-card-verification"

const session = (data: Record<string, unknown>, status = "pending", provider_id = "pp_dintero_dintero") => ({ id: "payses_1", provider_id, status, data })

describe("which cart completions the free-trial check has to look at", () => {
  it("passes over a cart that pays: its payment collection is for more than 0 and holds no card verification", () => {
    expect(mayNeedCardVerification({ payment_collection: { amount: 29900, payment_sessions: [session({ dintero: { session_id: "T1" } })] } })).toBe(false)
    expect(mayNeedCardVerification({ payment_collection: { amount: 29900, payment_sessions: [] } })).toBe(false)
    expect(mayNeedCardVerification({ completed_at: new Date(), payment_collection: { amount: 0, payment_sessions: [] } })).toBe(false)
  })

  it("looks at a cart for nothing, one with no payment collection, and any cart holding a live card verification", () => {
    expect(mayNeedCardVerification({ payment_collection: { amount: 0, payment_sessions: [] } })).toBe(true)
    expect(mayNeedCardVerification({ payment_collection: null })).toBe(true)
    expect(mayNeedCardVerification({})).toBe(true)
    // The cart came to cost something while it still holds a verification: the check refuses to complete it.
    expect(mayNeedCardVerification({ payment_collection: { amount: 100, payment_sessions: [session({ dintero: { card_verification: true } })] } })).toBe(true)
  })

  it("counts only live Dintero sessions as a card verification", () => {
    const paid = { amount: 100 }
    expect(mayNeedCardVerification({ payment_collection: { ...paid, payment_sessions: [session({ dintero: { card_verification: true } }, "canceled")] } })).toBe(false)
    expect(mayNeedCardVerification({ payment_collection: { ...paid, payment_sessions: [session({ dintero: { card_verification: true } }, "pending", "pp_system_default")] } })).toBe(false)
  })
})

import { dinteroProviderConfigs } from "../provider-config"

const dintero = {
  accountId: "T12345678",
  clientId: "id",
  clientSecret: "secret",
  backendUrl: "https://shop.example",
  returnUrl: "https://shop.example/return",
}

describe("the Dintero providers a store configured", () => {
  it("are found as pp_dintero_<id> with their validated options, other providers ignored", () => {
    const configs = dinteroProviderConfigs({
      modules: {
        payment: {
          resolve: "@medusajs/medusa/payment",
          options: {
            providers: [
              { resolve: "@medusajs/medusa/payment-stripe", id: "stripe", options: { apiKey: "sk_test" } },
              { resolve: "medusa-payment-dintero/providers/dintero", id: "dintero", options: { ...dintero, reconciliation: { voidOrphansAfterMinutes: 90 } } },
            ],
          },
        },
      },
    })
    expect(configs).toHaveLength(1)
    expect(configs[0].providerId).toBe("pp_dintero_dintero")
    expect(configs[0].options.reconciliation).toMatchObject({ voidOrphansAfterMinutes: 90, pendingForMinutes: 30 })
  })

  it("are none when the payment module is not configured", () => {
    expect(dinteroProviderConfigs(undefined)).toEqual([])
    expect(dinteroProviderConfigs({ modules: { payment: true } })).toEqual([])
  })
})

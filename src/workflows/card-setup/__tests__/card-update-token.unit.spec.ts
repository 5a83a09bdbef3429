import { cardUpdateUrl, hashCardUpdateToken, newCardUpdateToken } from "../card-update-token"

describe("card-update link tokens", () => {
  it("card-update tokens are random, stored only as a hash, and put in the configured storefront URL", () => {
    const a = newCardUpdateToken()
    const b = newCardUpdateToken()
    expect(a.token).not.toBe(b.token)
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a.hash).toBe(hashCardUpdateToken(a.token))
    expect(a.hash).not.toContain(a.token)
    expect(hashCardUpdateToken(a.token.slice(0, -1) + "x")).not.toBe(a.hash)
    expect(cardUpdateUrl("https://shop.example/account/card-update?token={token}", a.token)).toBe(
      `https://shop.example/account/card-update?token=${a.token}`
    )
  })
})

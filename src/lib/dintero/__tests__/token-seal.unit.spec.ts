import { randomBytes } from "node:crypto"
import { openToken, parseEncryptionKey, sealToken } from "../token-seal"

describe("sealed card tokens", () => {
  const key = randomBytes(32)

  it("round-trips and never contains the token in clear", () => {
    const sealed = sealToken(key, "tok_secret_value", "acchld_1")
    expect(sealed).not.toContain("tok_secret_value")
    expect(sealed.startsWith("v1.")).toBe(true)
    expect(openToken(key, sealed, "acchld_1")).toBe("tok_secret_value")
  })

  it("does not open with another key or for another record", () => {
    const sealed = sealToken(key, "tok_secret_value", "acchld_1")
    expect(() => openToken(randomBytes(32), sealed, "acchld_1")).toThrow(/could not be opened/)
    expect(() => openToken(key, sealed, "acchld_2")).toThrow(/could not be opened/)
  })

  it("detects tampering", () => {
    const sealed = sealToken(key, "tok_secret_value", "acchld_1")
    const parts = sealed.split(".")
    parts[3] = Buffer.from("tampered").toString("base64url")
    expect(() => openToken(key, parts.join("."), "acchld_1")).toThrow()
  })

  it("accepts 32-byte keys in hex or base64 and refuses anything else", () => {
    expect(parseEncryptionKey(key.toString("hex"))).toEqual(key)
    expect(parseEncryptionKey(key.toString("base64"))).toEqual(key)
    expect(() => parseEncryptionKey("short")).toThrow(/32 random bytes/)
  })
})

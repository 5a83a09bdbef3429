import { computeCallbackSignature, verifyCallbackSignature } from "../signature"

// Dintero's published example (docs: checkout-api/secrets/admin_signature_post).
const example = {
  secret: "123",
  accountId: "P00000000",
  method: "GET",
  url: new URL("https://example.com/callback?B=123&A=992"),
  timestamp: 1582236537,
}
const exampleHex = "6bed2ab1b919d460ef7465a20dc6c97260dca73fab6647106ca525f0908df64a"

describe("Dintero-Signature on callbacks", () => {
  it("matches Dintero's published example", () => {
    expect(computeCallbackSignature(example)).toBe(exampleHex)
  })

  it("accepts the example header within the tolerance", () => {
    const check = verifyCallbackSignature({
      ...example,
      header: `t=${example.timestamp},v0-hmac-sha256=${exampleHex}`,
      nowSeconds: example.timestamp + 60,
    })
    expect(check).toEqual({ valid: true, timestamp: example.timestamp })
  })

  it("covers the callback options of the URL, repeated report_event included: dropping or changing one breaks it", () => {
    const signed = new URL(
      "https://shop.example/hooks/dintero/callback?report_event=CAPTURE&report_event=REFUND&report_event=VOID&report_error=true&delay_callback=10&transaction_id=T1.a&event=CAPTURE&event_id=7"
    )
    const base = { secret: "s3cret-s3cret", accountId: "T12345678", method: "GET" }
    const header = `t=100,v0-hmac-sha256=${computeCallbackSignature({ ...base, url: signed, timestamp: 100 })}`
    const check = (url: string) => verifyCallbackSignature({ ...base, header, url: new URL(url), nowSeconds: 100 }).valid
    // Parameters reach us in any order: the signature sorts them (stably, so repeated ones keep their order).
    expect(check("https://shop.example/hooks/dintero/callback?event_id=7&event=CAPTURE&transaction_id=T1.a&report_event=CAPTURE&report_event=REFUND&report_event=VOID&report_error=true&delay_callback=10")).toBe(true)
    expect(check(signed.toString().replace("&report_event=VOID", ""))).toBe(false)
    expect(check(signed.toString().replace("event=CAPTURE&event_id", "event=REFUND&event_id"))).toBe(false)
    expect(check(signed.toString().replace("delay_callback=10", "delay_callback=0"))).toBe(false)
  })

  it("rejects a signature older than five minutes (replay)", () => {
    const check = verifyCallbackSignature({
      ...example,
      header: `t=${example.timestamp},v0-hmac-sha256=${exampleHex}`,
      nowSeconds: example.timestamp + 301,
    })
    expect(check).toEqual({ valid: false, reason: "stale" })
  })

  it("rejects a forged query, a wrong secret, a missing or malformed header", () => {
    const header = `t=${example.timestamp},v0-hmac-sha256=${exampleHex}`
    const now = example.timestamp
    expect(
      verifyCallbackSignature({ ...example, header, nowSeconds: now, url: new URL("https://example.com/callback?B=124&A=992") })
    ).toEqual({ valid: false, reason: "mismatch" })
    expect(verifyCallbackSignature({ ...example, header, nowSeconds: now, secret: "1234" })).toEqual({
      valid: false,
      reason: "mismatch",
    })
    expect(verifyCallbackSignature({ ...example, header: undefined })).toEqual({ valid: false, reason: "missing" })
    expect(verifyCallbackSignature({ ...example, header: "t=abc,v0-hmac-sha256=zz" })).toEqual({
      valid: false,
      reason: "malformed",
    })
  })

  it("signs the sorted query with spaces as '+', whatever order the parameters arrive in", () => {
    const a = computeCallbackSignature({ ...example, url: new URL("https://shop.example/cb?z=a%20b&a=1") })
    const b = computeCallbackSignature({ ...example, url: new URL("https://shop.example/cb?a=1&z=a+b") })
    expect(a).toBe(b)
  })
})

import { DinteroProviderService } from "../service"
import { callbackUrl, parseDinteroOptions } from "../options"

const valid = {
  accountId: "T12345678",
  clientId: "id",
  clientSecret: "secret",
  backendUrl: "https://shop.example/api/",
  returnUrl: "https://shop.example/checkout/return",
}

describe("provider options", () => {
  it("applies Dintero's production hosts and safe defaults", () => {
    const options = parseDinteroOptions(valid)
    expect(options).toEqual(
      expect.objectContaining({
        profileId: "default",
        autoCapture: false,
        captureOnFulfillment: false,
        apiBaseUrl: "https://api.dintero.com/v1",
        checkoutBaseUrl: "https://checkout.dintero.com/v1",
      })
    )
    expect(callbackUrl(options).toString()).toBe(
      "https://shop.example/api/hooks/dintero/callback?report_event=CAPTURE&report_event=REFUND&report_event=VOID&report_error=true&delay_callback=10"
    )
  })

  it("asks Dintero for the events a merchant needs, with a delay of at most Dintero's 60 s", () => {
    const url = callbackUrl(parseDinteroOptions({ ...valid, callbackDelaySeconds: 0 }))
    expect(url.searchParams.getAll("report_event")).toEqual(["CAPTURE", "REFUND", "VOID"])
    expect(url.searchParams.get("report_error")).toBe("true")
    expect(url.searchParams.has("delay_callback")).toBe(false)
    expect(callbackUrl(parseDinteroOptions({ ...valid, callbackDelaySeconds: 60 })).searchParams.get("delay_callback")).toBe("60")
    expect(() => parseDinteroOptions({ ...valid, callbackDelaySeconds: 120 })).toThrow(/"callbackDelaySeconds" must be at most 60/)
    expect(() => parseDinteroOptions({ ...valid, callbackDelaySeconds: 1.5 })).toThrow(/"callbackDelaySeconds"/)
  })

  it("fails startup naming the option that is wrong", () => {
    expect(() => DinteroProviderService.validateOptions({ ...valid, accountId: "12345678" })).toThrow(/"accountId" must be T or P/)
    expect(() => DinteroProviderService.validateOptions({ ...valid, clientSecret: undefined })).toThrow(/"clientSecret" is required/)
    expect(() => DinteroProviderService.validateOptions({ ...valid, returnUrl: "not a url" })).toThrow(/"returnUrl"/)
    expect(() => DinteroProviderService.validateOptions({ ...valid, timeoutMs: 10 })).toThrow(/"timeoutMs"/)
  })

  it("requires a valid sealing key when cards are saved", () => {
    expect(() => parseDinteroOptions({ ...valid, saveCards: "on_request" })).toThrow(/"tokenEncryptionKey" is required when saveCards is "on_request"/)
    expect(() => parseDinteroOptions({ ...valid, saveCards: "subscriptions", tokenEncryptionKey: "too-short" })).toThrow(
      /"tokenEncryptionKey" must be 32 random bytes/
    )
    expect(() => parseDinteroOptions({ ...valid, saveCards: "on_request", tokenEncryptionKey: "a".repeat(64) })).not.toThrow()
  })

  it("refuses plain http to Dintero with a production account", () => {
    expect(() => parseDinteroOptions({ ...valid, accountId: "P12345678", apiBaseUrl: "http://127.0.0.1:4550/v1" })).toThrow(
      /"apiBaseUrl" must use https with a production \(P\) account/
    )
    expect(() => parseDinteroOptions({ ...valid, apiBaseUrl: "http://127.0.0.1:4550/v1" })).not.toThrow()
  })

  it("reconciles lost callbacks by default, with bounds, and names a wrong reconciliation option", () => {
    expect(parseDinteroOptions(valid).reconciliation).toEqual({
      job: true,
      schedule: "*/15 * * * *",
      pendingForMinutes: 30,
      lookbackHours: 192,
      voidOrphans: true,
      voidOrphansAfterMinutes: 1440,
      maxSessionsPerRun: 200,
      pageSize: 50,
    })
    expect(parseDinteroOptions({ ...valid, reconciliation: { voidOrphansAfterMinutes: 60 } }).reconciliation).toMatchObject({
      voidOrphansAfterMinutes: 60,
      pendingForMinutes: 30,
    })
    expect(() => parseDinteroOptions({ ...valid, reconciliation: { maxSessionsPerRun: 0 } })).toThrow(/"reconciliation.maxSessionsPerRun"/)
    expect(() => parseDinteroOptions({ ...valid, reconciliation: { schedule: "soon" } })).toThrow(/"reconciliation.schedule" must be a cron expression/)
    expect(() => parseDinteroOptions({ ...valid, reconciliation: { voidAfter: 5 } })).toThrow(/reconciliation/)
  })

  it("never echoes the secret in its errors", () => {
    expect(() => parseDinteroOptions({ ...valid, clientSecret: "", accountId: "bad" })).toThrow()
    try {
      parseDinteroOptions({ ...valid, clientSecret: "s3cr3t-value", accountId: "bad" })
    } catch (error) {
      expect(String(error)).not.toContain("s3cr3t-value")
    }
  })
})

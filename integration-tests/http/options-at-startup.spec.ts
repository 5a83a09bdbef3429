import "../helpers/env"
import { spawnSync } from "node:child_process"
import path from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"

jest.setTimeout(120_000)

const validOptions = {
  accountId: "T12345678",
  clientId: "emulator-client-id",
  clientSecret: "emulator-client-secret",
  backendUrl: "http://localhost:9000",
  returnUrl: "http://localhost:8000/checkout/return",
}

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    /** Starts the payment module with the Dintero provider in a fresh process, as `medusa start` would. */
    function startWith(options: Record<string, unknown>) {
      const databaseUrl = getContainer().resolve("configModule").projectConfig.databaseUrl
      const result = spawnSync(
        process.execPath,
        ["-r", "ts-node/register/transpile-only", path.resolve(__dirname, "../helpers/boot-payment-module.ts"), JSON.stringify(options)],
        { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "", DATABASE_URL: databaseUrl }, timeout: 60_000 }
      )
      return { code: result.status, output: `${result.stdout}\n${result.stderr}` }
    }

    it("starts with valid options", () => {
      const { code, output } = startWith(validOptions)
      expect(output).toContain("payment module started")
      expect(code).toBe(0)
    })

    it.each([
      ["an account id without T/P prefix", { accountId: "12345678" }, /"accountId" must be T or P followed by 8 digits/],
      ["a missing client secret", { clientSecret: undefined }, /"clientSecret" is required/],
      ["a return URL that is not a URL", { returnUrl: "checkout/return" }, /"returnUrl"/],
      ["saved cards without a sealing key", { saveCards: "on_request" }, /"tokenEncryptionKey" is required/],
      ["plain http with a production account", { accountId: "P12345678", checkoutBaseUrl: "http://127.0.0.1:4550/v1" }, /"checkoutBaseUrl" must use https/],
    ])("refuses to start with %s, naming the option", (_, override, message) => {
      const { code, output } = startWith({ ...validOptions, ...override })
      expect(code).not.toBe(0)
      expect(output).toMatch(/Invalid options for the Dintero payment provider/)
      expect(output).toMatch(message)
      expect(output).not.toContain("emulator-client-secret")
    })
  },
})

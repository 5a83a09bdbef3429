const { loadEnv } = require("@medusajs/utils")
loadEnv("test", process.cwd())

// TEST_TYPE picks the suite, on the pattern of Medusa's starters:
//   unit             → fast tests of pure code (client, money, signatures, emulator)
//   integration:http → a real Medusa booted against PostgreSQL and the emulator
//   browser          → the admin dashboard and storefront in headless Chromium (integration-tests/browser)
//   install          → the packed package installed into a fresh Medusa store outside the repository
//   bench            → benchmarks on a real Medusa (npm run bench:checkout, npm run bench:renewals)
const testMatchByType = {
  unit: ["**/src/**/__tests__/**/*.unit.spec.[jt]s", "**/emulator/src/**/__tests__/**/*.unit.spec.[jt]s"],
  "integration:http": ["**/integration-tests/http/**/*.spec.[jt]s"],
  browser: ["**/integration-tests/browser/**/*.spec.[jt]s"],
  install: ["**/integration-tests/install/**/*.spec.[jt]s"],
  // Benchmarks print ratios measured in one run; they are not part of `npm test`.
  bench: ["**/bench/**/*.bench.[jt]s"],
}

module.exports = {
  transform: {
    "^.+\\.[jt]s$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript", decorators: true }, target: "es2021" } },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  setupFiles: ["./integration-tests/setup.js"],
  testMatch: testMatchByType[process.env.TEST_TYPE] ?? testMatchByType.unit,
}

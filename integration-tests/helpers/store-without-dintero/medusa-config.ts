import { defineConfig } from "@medusajs/framework/utils"

/**
 * A store without the Dintero provider (only `pp_system_default`), for harness tests that must
 * not depend on `src/`. Pass this directory as `medusaConfigFile`: the runner also uses it as the
 * project root, so the repository's `src/` (api, subscribers, jobs) is not loaded either.
 */
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:8000,http://localhost:9000",
      jwtSecret: "supersecret",
      cookieSecret: "supersecret",
    },
  },
  admin: { disable: true },
})

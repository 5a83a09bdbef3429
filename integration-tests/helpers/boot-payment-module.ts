/**
 * Boots Medusa's payment module with the Dintero provider, the way `medusa start` loads it, against the
 * migrated database in DATABASE_URL, with the provider options given as JSON in argv[2]. Run as a child
 * process: a provider that refuses its options makes Medusa's module loader end the process, exactly as a
 * real startup would.
 */
import path from "node:path"
import { Modules } from "@medusajs/framework/utils"
import { initModules } from "@medusajs/test-utils"

async function main() {
  const options = JSON.parse(process.argv[2] ?? "{}")
  const { shutdown } = await initModules({
    databaseConfig: { clientUrl: process.env.DATABASE_URL! },
    modulesConfig: {
      [Modules.PAYMENT]: {
        resolve: "@medusajs/medusa/payment",
        options: {
          providers: [{ resolve: path.resolve(__dirname, "../../src/providers/dintero"), id: "dintero", options }],
        },
      },
    },
  })
  await shutdown()
  console.log("payment module started")
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error?.message ?? error)
    process.exit(1)
  }
)

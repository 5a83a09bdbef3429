import { fromAxios, type StoreHttp } from "../../scripts/lib/http"
import { seedStore, type SeededStore } from "../../scripts/lib/seed-store"
import { storeClient } from "../../scripts/lib/store-checkout"
import { createAdminAndLogin } from "./admin-user"

/**
 * Before each test (the runner empties the database between tests): an admin, a seeded Norwegian store
 * and a storefront client with its publishable key. Call inside medusaIntegrationTestRunner's testSuite.
 */
export function useSeededStore(api: any, getContainer: () => any) {
  const handle = {} as { admin: StoreHttp; store: StoreHttp; seeded: SeededStore }
  beforeEach(async () => {
    handle.admin = (await createAdminAndLogin(getContainer(), api)).http
    handle.seeded = await seedStore(handle.admin)
    handle.store = storeClient(fromAxios(api), handle.seeded.publishableKey)
  })
  return handle
}

import { createUserAccountWorkflow } from "@medusajs/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { ensureOk, fromAxios, type AxiosLike, type StoreHttp } from "../../scripts/lib/http"

export const ADMIN_EMAIL = "admin@medusa-test.com"
export const ADMIN_PASSWORD = "supersecret"

/**
 * Creates an admin user the way `medusa user -e … -p …` does (an emailpass auth identity whose
 * app_metadata points at a new user), then logs in through the HTTP API.
 * (With the RBAC feature flag on, `medusa user` also assigns the super-admin role; it is off by default.)
 */
export async function createAdminAndLogin(
  container: MedusaContainer,
  api: AxiosLike,
  { email = ADMIN_EMAIL, password = ADMIN_PASSWORD } = {}
): Promise<{ headers: { authorization: string }; http: StoreHttp }> {
  const auth = container.resolve(Modules.AUTH)
  const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } })
  if (error || !authIdentity) {
    throw new Error(`createAdminAndLogin: registering ${email} failed: ${error}`)
  }
  await createUserAccountWorkflow(container).run({
    input: { authIdentityId: authIdentity.id, userData: { email } },
  })

  const { token } = ensureOk(
    await fromAxios(api).post<{ token: string }>("/auth/user/emailpass", { email, password }),
    "admin login"
  )
  const headers = { authorization: `Bearer ${token}` }
  return { headers, http: fromAxios(api, headers) }
}

import { fetchHttp, type Headers, type HttpOptions, type StoreHttp } from "../lib/http"
import { waitHealthy } from "./processes"

/**
 * `fetchHttp` for the demo store. `medusa develop` restarts the server when a file in the project
 * changes; a request refused meanwhile (it never reached the store, so it is safe to repeat) is
 * sent again once the store answers /health.
 */
export function storeHttp(baseUrl: string, headers: Headers = {}): StoreHttp {
  const http = fetchHttp(baseUrl, headers)
  async function retryRefused<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send()
    } catch (error) {
      if (!refused(error) || !(await waitHealthy(baseUrl))) throw error
      return send()
    }
  }
  return {
    get: (path: string, opts?: HttpOptions) => retryRefused(() => http.get(path, opts)),
    post: (path: string, body?: unknown, opts?: HttpOptions) => retryRefused(() => http.post(path, body, opts)),
    delete: (path: string, opts?: HttpOptions) => retryRefused(() => http.delete(path, opts)),
  }
}

function refused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } })?.cause
  return cause?.code === "ECONNREFUSED" || !!cause?.errors?.some((e) => e.code === "ECONNREFUSED")
}

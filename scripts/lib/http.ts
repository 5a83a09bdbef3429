/**
 * A tiny HTTP interface shared by the integration tests (axios from Medusa's test runner) and the
 * demo script (global fetch). Non-2xx responses never throw: callers get the status back, because
 * failed requests are part of what the tests check. Use `ensureOk` where a failure is a bug.
 */

export type Headers = Record<string, string>
export type HttpOptions = { headers?: Headers }
export type HttpResponse<T> = { status: number; data: T }

export type StoreHttp = {
  get<T = any>(path: string, opts?: HttpOptions): Promise<HttpResponse<T>>
  post<T = any>(path: string, body?: unknown, opts?: HttpOptions): Promise<HttpResponse<T>>
  delete<T = any>(path: string, opts?: HttpOptions): Promise<HttpResponse<T>>
}

/** The part of an axios instance we use (the runner's `api` is an axios instance behind a proxy). */
export type AxiosLike = {
  request(config: {
    method: string
    url: string
    data?: unknown
    headers?: Headers
    validateStatus?: (status: number) => boolean
  }): Promise<{ status: number; data: any }>
}

function fromRequest(
  send: (method: string, path: string, body: unknown, headers: Headers) => Promise<HttpResponse<any>>,
  defaultHeaders: Headers
): StoreHttp {
  const headersFor = (opts?: HttpOptions) => ({ ...defaultHeaders, ...opts?.headers })
  return {
    get: (path, opts) => send("GET", path, undefined, headersFor(opts)),
    post: (path, body, opts) => send("POST", path, body ?? {}, headersFor(opts)),
    delete: (path, opts) => send("DELETE", path, undefined, headersFor(opts)),
  }
}

export function fromAxios(api: AxiosLike, defaultHeaders: Headers = {}): StoreHttp {
  return fromRequest(async (method, url, data, headers) => {
    const res = await api.request({ method, url, data, headers, validateStatus: () => true })
    return { status: res.status, data: res.data }
  }, defaultHeaders)
}

export function fetchHttp(baseUrl: string, defaultHeaders: Headers = {}): StoreHttp {
  const base = baseUrl.replace(/\/+$/, "")
  return fromRequest(async (method, path, body, headers) => {
    const res = await fetch(base + path, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let data: any = text
    try {
      data = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: keep the raw text so error messages still show it
    }
    return { status: res.status, data }
  }, defaultHeaders)
}

/** The same client with extra default headers (publishable key, customer or admin bearer token). */
export function withHeaders(http: StoreHttp, headers: Headers): StoreHttp {
  const merge = (opts?: HttpOptions) => ({ ...opts, headers: { ...headers, ...opts?.headers } })
  return {
    get: (path, opts) => http.get(path, merge(opts)),
    post: (path, body, opts) => http.post(path, body, merge(opts)),
    delete: (path, opts) => http.delete(path, merge(opts)),
  }
}

export class HttpError extends Error {
  constructor(readonly what: string, readonly status: number, readonly body: unknown) {
    super(`${what} failed with HTTP ${status}: ${JSON.stringify(body)}`)
    this.name = "HttpError"
  }
}

/** Returns `res.data` for a 2xx response; otherwise throws with the status and the response body. */
export function ensureOk<T>(res: HttpResponse<T>, what: string): T {
  if (res.status < 200 || res.status >= 300) {
    throw new HttpError(what, res.status, res.data)
  }
  return res.data
}

/** Request/response plumbing shared by the API, the hosted page and the control routes. */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http"
import { badRequest } from "./errors"

export interface ApiRequest {
  requestId: string
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** Parsed JSON or form body; undefined when empty. */
  body: unknown
  params: Record<string, string>
  /** The account and API client of the bearer token, set by the auth guard. */
  accountId?: string
  clientId?: string
}

export interface ApiResponse {
  status: number
  /** Serialized as JSON. */
  body?: unknown
  html?: string
  /** 302 Location. */
  redirect?: string
  headers?: Record<string, string>
}

export type Handler = (rq: ApiRequest) => ApiResponse | Promise<ApiResponse>

export const json = (status: number, body: unknown, headers?: Record<string, string>): ApiResponse => ({
  status,
  body,
  headers,
})

export function readRawBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })
}

/** Parses JSON (any content type but forms) or url-encoded forms. Malformed JSON is a 400, as on Dintero. */
export function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw.trim()) return undefined
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw))
  }
  try {
    return JSON.parse(raw)
  } catch {
    throw badRequest("Request body is not valid JSON", "INVALID_JSON")
  }
}

export function send(res: ServerResponse, response: ApiResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return
  const headers: Record<string, string> = { "request-id": requestId, ...response.headers }
  if (response.redirect) {
    res.writeHead(302, { ...headers, location: response.redirect })
    res.end()
  } else if (response.html !== undefined) {
    res.writeHead(response.status, { ...headers, "content-type": "text/html; charset=utf-8" })
    res.end(response.html)
  } else if (response.body === undefined) {
    res.writeHead(response.status, headers)
    res.end()
  } else {
    res.writeHead(response.status, { ...headers, "content-type": "application/json; charset=utf-8" })
    res.end(JSON.stringify(response.body))
  }
}

export function queryToObject(query: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const key of new Set(query.keys())) {
    const values = query.getAll(key)
    out[key] = values.length === 1 ? values[0] : values
  }
  return out
}

export function header(rq: { headers: IncomingHttpHeaders }, name: string): string | undefined {
  const value = rq.headers[name.toLowerCase()]
  return Array.isArray(value) ? value.join(",") : value
}

/** `Dintero-Feature-Toggles` is a comma-separated list (reference §2, §4). */
export function featureToggles(rq: { headers: IncomingHttpHeaders }): Set<string> {
  const raw = header(rq, "dintero-feature-toggles") ?? ""
  return new Set(raw.split(",").map((t) => t.trim()).filter(Boolean))
}

export const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T))

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

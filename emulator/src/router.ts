/** A tiny method + path router with `:param` segments. */
import type { Handler } from "./http"

interface Route {
  method: string
  pattern: RegExp
  keys: string[]
  handler: Handler
}

export type RouteMatch =
  | { kind: "found"; handler: Handler; params: Record<string, string> }
  | { kind: "method_not_allowed" }
  | { kind: "not_found" }

export class Router {
  private readonly routes: Route[] = []

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = []
    const source = path
      .split("/")
      .map((segment) => {
        if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        keys.push(segment.slice(1))
        return "([^/]+)"
      })
      .join("/")
    this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), keys, handler })
    return this
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false
    for (const route of this.routes) {
      const found = route.pattern.exec(path)
      if (!found) continue
      pathMatched = true
      if (route.method !== method) continue
      const params: Record<string, string> = {}
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(found[i + 1])))
      return { kind: "found", handler: route.handler, params }
    }
    return pathMatched ? { kind: "method_not_allowed" } : { kind: "not_found" }
  }
}

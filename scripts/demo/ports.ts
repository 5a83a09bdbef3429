import { createServer } from "node:net"

/** Whether nothing listens on `port` (checked on all interfaces and on 127.0.0.1). */
export async function portAvailable(port: number): Promise<boolean> {
  for (const host of [undefined, "127.0.0.1"]) {
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
      server.unref()
      server.once("error", () => resolve(false))
      server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
    })
    if (!free) return false
  }
  return true
}

/** A port the OS hands out as free right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once("error", reject)
    server.listen(0, () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** `preferred` when it is free, otherwise any free port. */
export async function pickPort(preferred: number): Promise<number> {
  return (await portAvailable(preferred)) ? preferred : freePort()
}

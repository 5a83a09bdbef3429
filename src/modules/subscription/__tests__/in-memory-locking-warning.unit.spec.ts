import { inMemoryLockingWarning } from "../loaders/warn-in-memory-locking"

describe("the startup warning about in-memory locking", () => {
  it("warns when server and worker run apart while locks live in one process's memory", () => {
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "server" } })).toMatch(/locks in memory.*locking-redis/s)
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "worker" }, modules: { locking: { options: { providers: [] } } } })).toMatch(/workerMode is "worker"/)
  })

  it("stays quiet for a single shared process or with a shared locking provider", () => {
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "shared" } })).toBeNull()
    expect(inMemoryLockingWarning({ projectConfig: {} })).toBeNull()
    const redis = { locking: { options: { providers: [{ resolve: "@medusajs/medusa/locking-redis" }] } } }
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "server" }, modules: redis })).toBeNull()
  })
})

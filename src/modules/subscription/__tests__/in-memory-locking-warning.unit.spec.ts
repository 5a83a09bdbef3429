import { inMemoryLockingWarning } from "../loaders/warn-in-memory-locking"

const redisLocking = { locking: { resolve: "@medusajs/medusa/locking", options: { providers: [{ resolve: "@medusajs/medusa/locking-redis" }] } } }
const postgresLocking = { locking: { resolve: "@medusajs/medusa/locking", options: { providers: [{ resolve: "@medusajs/medusa/locking-postgres" }] } } }
const redisEventBus = { event_bus: { resolve: "@medusajs/medusa/event-bus-redis", options: {} } }
const redisWorkflowEngine = { workflows: { resolve: "@medusajs/medusa/workflow-engine-redis", options: {} } }

describe("the startup warning about in-memory locking", () => {
  it("warns when server and worker run apart while locks live in one process's memory", () => {
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "server" } })).toMatch(/locks in memory.*locking-redis/s)
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "worker" }, modules: { locking: { options: { providers: [] } } } })).toMatch(/workerMode is "worker"/)
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "server" }, modules: redisEventBus })).toMatch(/workerMode is "server"/)
  })

  it("warns in a shared process whose event bus or workflow engine runs on Redis (a layout made for several processes)", () => {
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "shared" }, modules: redisEventBus })).toMatch(/a Redis event bus is configured .*locks in memory/)
    expect(inMemoryLockingWarning({ projectConfig: {}, modules: { ...redisEventBus, ...redisWorkflowEngine } })).toMatch(/a Redis event bus and workflow engine/)
  })

  it("stays quiet for a single shared process or with a shared locking provider", () => {
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "shared" } })).toBeNull()
    expect(inMemoryLockingWarning({ projectConfig: {} })).toBeNull()
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "shared" }, modules: { event_bus: { resolve: "@medusajs/medusa/event-bus-local" } } })).toBeNull()
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "server" }, modules: redisLocking })).toBeNull()
    expect(inMemoryLockingWarning({ projectConfig: { workerMode: "worker" }, modules: { ...postgresLocking, ...redisEventBus } })).toBeNull()
    expect(inMemoryLockingWarning({ projectConfig: {}, modules: { ...redisLocking, ...redisEventBus, ...redisWorkflowEngine } })).toBeNull()
  })
})

import { randomUUID } from "node:crypto"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { setTimeout as sleep } from "node:timers/promises"
import { subscriptionLockKey } from "../helpers"

export type SubscriptionLock = { acquired: boolean; key: string; owner_id: string }

/** Long enough for a charge and an order; a worker that dies holding it frees it after this. */
const LOCK_TTL_SECONDS = 120

/**
 * Takes the subscription's lock with Medusa's Locking module, so two workers (or the job and an admin)
 * never work on the same subscription at once. The renewal job does not wait (`wait_seconds` 0): a locked
 * subscription is being renewed by someone else. Changes by people wait a little, then answer 409.
 * Runs in Medusa's in-memory locking by default; a store with several servers configures a shared
 * locking provider (Redis or PostgreSQL), as Medusa's own cart completion requires too.
 */
export const lockSubscriptionStep = createStep(
  "lock-subscription",
  async (input: { subscription_id: string; wait_seconds?: number; required?: boolean }, { container }) => {
    const locking = container.resolve(Modules.LOCKING)
    const lock: SubscriptionLock = { acquired: false, key: subscriptionLockKey(input.subscription_id), owner_id: randomUUID() }
    const deadline = Date.now() + (input.wait_seconds ?? 0) * 1000
    for (;;) {
      try {
        await locking.acquire(lock.key, { ownerId: lock.owner_id, expire: LOCK_TTL_SECONDS })
        lock.acquired = true
        break
      } catch {
        if (Date.now() >= deadline) {
          break
        }
        await sleep(200)
      }
    }
    if (!lock.acquired && input.required) {
      throw new MedusaError(MedusaError.Types.CONFLICT, `Subscription ${input.subscription_id} is being changed or renewed right now; try again.`)
    }
    return new StepResponse(lock, lock.acquired ? lock : undefined)
  },
  async (lock, { container }) => {
    if (lock) {
      await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
    }
  }
)

export const releaseSubscriptionLockStep = createStep("release-subscription-lock", async (lock: SubscriptionLock, { container }) => {
  if (lock.acquired) {
    await container.resolve(Modules.LOCKING).release(lock.key, { ownerId: lock.owner_id })
  }
  return new StepResponse(undefined)
})

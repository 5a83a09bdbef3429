import { randomUUID } from "node:crypto"
import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentSessionStatus } from "@medusajs/framework/utils"
import { DINTERO_RECONCILIATION_MODULE, type DinteroReconciliationModuleService } from "../../modules/dintero-reconciliation"
import type { ReconciliationOptions } from "../../providers/dintero/options"
import { configuredDinteroProviders } from "./dintero-access"
import { reconcileDinteroSessionWorkflow } from "./reconcile-session"

export type ReconciliationRunInput = {
  trigger: "job" | "admin"
  /** The time the run works at (tests pass their own clock). Defaults to now. */
  now?: Date | string
  /** Overrides of the configured bounds (tests). */
  options?: Partial<ReconciliationOptions>
}

export type ReconciliationRunReport =
  | { ran: false; reason: string }
  | {
      ran: true
      run_id: string
      now: string
      sessions: number
      completed: number
      orphans: number
      voided: number
      errors: number
      /** Where the next run continues (null: this run reached the newest eligible session). */
      cursor: string | null
    }

/** One run at a time, across processes when Medusa's Locking module has a shared provider (Redis, PostgreSQL). */
export const RUN_LOCK_KEY = "dintero-reconciliation-run"
const RUN_LOCK_TTL_SECONDS = 15 * 60

/** A session in these states may have been paid without Medusa hearing of it. */
const OPEN_STATUSES = [PaymentSessionStatus.PENDING, PaymentSessionStatus.REQUIRES_MORE, PaymentSessionStatus.PENDING_AUTHORIZATION]

/**
 * One reconciliation run (what the scheduled job and the admin route do). Payment sessions of the Dintero
 * providers that are still open and older than `pendingForMinutes` (but not older than `lookbackHours`) are
 * read page by page in id order (ids are time-ordered ULIDs), at most `maxSessionsPerRun` per run; the next
 * run continues after the last one read and starts over once it reaches the end. Deleted sessions are read
 * too: a cart that changed after the shopper paid leaves exactly such a session behind. Merchant-initiated
 * charges are the renewal's (they are settled by the renewal job and their callbacks).
 *
 * Idempotent: a run changes only what Dintero and Medusa disagree on, under the callback's per-transaction
 * lock, and records each finding once per transaction.
 */
export async function reconcileDinteroPayments(container: MedusaContainer, input: ReconciliationRunInput): Promise<ReconciliationRunReport> {
  const locking = container.resolve(Modules.LOCKING)
  const ownerId = randomUUID()
  try {
    await locking.acquire(RUN_LOCK_KEY, { ownerId, expire: RUN_LOCK_TTL_SECONDS })
  } catch {
    return { ran: false, reason: "Another reconciliation run is in progress." }
  }
  try {
    return await run(container, input)
  } finally {
    await locking.release(RUN_LOCK_KEY, { ownerId }).catch(() => undefined)
  }
}

async function run(container: MedusaContainer, input: ReconciliationRunInput): Promise<ReconciliationRunReport> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as Logger
  const records = container.resolve(DINTERO_RECONCILIATION_MODULE) as DinteroReconciliationModuleService
  const paymentModule = container.resolve(Modules.PAYMENT)
  const now = input.now ? new Date(input.now) : new Date()

  const enabled = new Set((await paymentModule.listPaymentProviders({ is_enabled: true })).map((provider) => provider.id))
  const providers = configuredDinteroProviders(container).filter((provider) => enabled.has(provider.providerId))
  const report = { ran: true as const, run_id: "", now: now.toISOString(), sessions: 0, completed: 0, orphans: 0, voided: 0, errors: 0, cursor: null as string | null }
  if (!providers.length) {
    return report
  }
  // The run's bounds come from the first Dintero provider (a store usually has one).
  const settings = { ...providers[0].options.reconciliation, ...input.options }
  const [previous] = await records.listDinteroReconciliationRuns({}, { order: { started_at: "DESC" }, take: 1, select: ["cursor"] })
  const started = await records.createDinteroReconciliationRuns({ trigger: input.trigger, started_at: now })
  report.run_id = started.id

  let after = previous?.cursor ?? undefined
  const seen = new Set<string>()
  while (report.sessions < settings.maxSessionsPerRun) {
    const take = Math.min(settings.pageSize, settings.maxSessionsPerRun - report.sessions)
    const page = await paymentModule.listPaymentSessions(
      {
        provider_id: providers.map((provider) => provider.providerId),
        status: OPEN_STATUSES,
        created_at: {
          $lte: new Date(now.getTime() - settings.pendingForMinutes * 60_000),
          $gte: new Date(now.getTime() - settings.lookbackHours * 3_600_000),
        },
        ...(after ? { id: { $gt: after } } : {}),
      } as any,
      { select: ["id", "provider_id", "payment_collection_id", "data", "deleted_at"], order: { id: "ASC" }, take, withDeleted: true }
    )
    for (const session of page) {
      report.sessions++
      const dintero = (session.data as { dintero?: { session_id?: string; merchant_initiated?: boolean; express?: boolean; cart_id?: string } } | null)?.dintero
      if (!dintero?.session_id || dintero.merchant_initiated || seen.has(dintero.session_id)) {
        continue
      }
      seen.add(dintero.session_id)
      try {
        const { result } = await reconcileDinteroSessionWorkflow(container).run({
          input: {
            provider_id: session.provider_id,
            payment_session_id: session.id,
            payment_collection_id: session.payment_collection_id,
            dintero_session_id: dintero.session_id,
            deleted: Boolean((session as { deleted_at?: unknown }).deleted_at),
            ...(dintero.express && dintero.cart_id ? { express_cart_id: dintero.cart_id } : {}),
            now: now.toISOString(),
          },
        })
        if (result.outcome === "completed") report.completed++
        if (result.outcome === "orphan") report.orphans++
        if (result.outcome === "voided") report.voided++
      } catch (error) {
        report.errors++
        logger.error(`Dintero reconciliation: payment session ${session.id} could not be reconciled: ${(error as Error).message}`)
      }
    }
    if (page.length < take) {
      after = undefined
      break
    }
    after = page[page.length - 1].id
  }
  report.cursor = after ?? null
  await records.updateDinteroReconciliationRuns({
    id: started.id,
    finished_at: new Date(),
    sessions: report.sessions,
    completed: report.completed,
    orphans: report.orphans,
    voided: report.voided,
    errors: report.errors,
    cursor: report.cursor,
  })
  if (report.completed || report.orphans || report.voided || report.errors) {
    logger.info(
      `Dintero reconciliation: ${report.sessions} sessions read back, ${report.completed} completed, ${report.orphans} orphans reported, ` +
        `${report.voided} voided, ${report.errors} errors`
    )
  }
  return report
}

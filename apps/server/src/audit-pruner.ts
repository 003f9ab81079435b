import { type Database, sql } from '@fms/db'
import { pruneAuditRows } from '@fms/db/queries/audit-log'
import { rowsOf } from '@fms/db/queries/rows'
import { errorFields, logger } from './logger.ts'
import { startWorkLoop } from './work-loop.ts'

/** One pruner at a time across the nodes: a transaction-scoped advisory lock ("FMSA"). */
const PRUNE_LOCK_KEY = 0x464d5341
/** Rows deleted per transaction: short locks; a backlog is worked off round after round. */
const PRUNE_BATCH = 5000

/**
 * Deletes audit rows older than `retentionDays` (`AUDIT_RETENTION_DAYS`), every `intervalMs`, in
 * batches; while a round deletes something the next follows at once. Every node runs one; the
 * advisory lock lets one at a time work and the others skip the turn.
 */
export function startAuditPruner(
  db: Database,
  options: { retentionDays: number; intervalMs: number; autoStart?: boolean },
) {
  async function round(): Promise<number> {
    return db.transaction(async (tx) => {
      const [lock] = rowsOf(
        await tx.execute(sql`select pg_try_advisory_xact_lock(${PRUNE_LOCK_KEY}) as locked`),
      )
      if (lock?.locked !== true) return 0
      const before = new Date(Date.now() - options.retentionDays * 86_400_000)
      return pruneAuditRows(tx, { before, batch: PRUNE_BATCH })
    })
  }
  return startWorkLoop(round, {
    intervalMs: options.intervalMs,
    maxIdleMs: Math.max(options.intervalMs, 30_000),
    autoStart: options.autoStart ?? true,
    onError: (error) => logger.warn('audit pruning failed', errorFields(error)),
  })
}

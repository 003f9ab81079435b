import { refreshActivity } from '@fms/api'
import type { Database } from '@fms/db'
import { errorFields, logger } from './logger.ts'

export interface ActivityRefresher {
  /** Stops the timer and waits for a run in flight. */
  close(): Promise<void>
}

/**
 * Keeps the activity buckets behind the daily summaries current: every `intervalMs`, rebuilds
 * what newly committed points touched, until drained. Every node runs one and one at a time folds
 * marks: a turn that finds the refresh lock taken (another node's run, or a report refreshing its
 * organization) is skipped without waiting, holding a connection or counting as a run (`onRun`);
 * what is left is the next turn's, on whichever node (see `refreshActivity`). Reports refresh
 * their own organization before reading, so this only keeps that work small. A failed run
 * (database down) is logged and retried next time.
 */
export function startActivityRefresher(
  db: Database,
  options: { intervalMs: number; onRun?: (marks: number, seconds: number) => void },
): ActivityRefresher {
  let running: Promise<number> = Promise.resolve(0)
  let timer: NodeJS.Timeout | undefined
  let isClosed = false

  function refresh(): Promise<number> {
    running = running
      .catch(() => 0)
      .then(async () => {
        const started = performance.now()
        // Until drained: a run that stopped at a cap would let a busy ingest outgrow it.
        const marks = await refreshActivity(db, { skipIfBusy: true })
        if (marks === null) return 0
        options.onRun?.(marks, (performance.now() - started) / 1000)
        return marks
      })
    return running
  }

  function schedule() {
    if (isClosed) return
    timer = setTimeout(() => {
      refresh()
        .catch((error: unknown) => logger.warn('activity refresh failed', errorFields(error)))
        .finally(schedule)
    }, options.intervalMs)
    timer.unref()
  }
  schedule()

  return {
    async close() {
      isClosed = true
      clearTimeout(timer)
      await running.catch(() => 0)
    },
  }
}

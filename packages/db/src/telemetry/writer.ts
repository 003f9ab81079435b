import { sqlStateCode, uniqueViolation } from '../errors.ts'
import { pointKey, type TelemetryInsert } from './rows.ts'
import type { TelemetrySink } from './sinks.ts'

export interface WriteResult {
  accepted: number
  duplicates: number
}

/** Why a write was not committed; the HTTP layer answers 503 (retry later) for all of them. */
export class WriterUnavailableError extends Error {
  constructor(
    readonly reason: 'queue_full' | 'database_down' | 'timeout' | 'closing',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'WriterUnavailableError'
  }
}

export interface WriterOptions {
  /** Rows waiting (not yet in a batch) beyond which writes are refused at once. */
  maxQueueRows?: number
  /** Rows per batch (one COPY, one transaction). */
  maxBatchRows?: number
  /** Batches in flight at once (each on its own connection). */
  concurrency?: number
  /** A write not committed by then is answered as unavailable (its rows may still commit). */
  writeTimeoutMs?: number
  /** Probe interval while the database is unreachable. */
  probeIntervalMs?: number
  /** Called after each committed batch with the rows that were new, in commit order. */
  onCommit?: (rows: TelemetryInsert[]) => void
  /**
   * Observes each batch: size, how long its oldest write waited for a free connection, commit
   * latency, whether it fell back to the duplicate path.
   */
  onBatch?: (stats: BatchStats) => void
}

export interface BatchStats {
  rows: number
  /** From the oldest write's arrival to the start of its batch. */
  waitSeconds: number
  /** From the start of the batch to its commit. */
  seconds: number
  isFallback: boolean
}

interface Pending {
  rows: TelemetryInsert[]
  resolve: (result: WriteResult) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout | undefined
  isSettled: boolean
  /** `performance.now()` when the write was queued. */
  queuedAt: number
}

/** Whether two of the rows are the same point (device and time). */
function hasRepeatedPoint(rows: readonly TelemetryInsert[]): boolean {
  const seen = new Set<string>()
  for (const row of rows) {
    const key = pointKey(row.deviceId, row.time)
    if (seen.has(key)) return true
    seen.add(key)
  }
  return false
}

/**
 * Group commit: rows of concurrent requests share one COPY per batch; each write resolves only
 * after its rows are committed. The queue is bounded; while the database is unreachable, writes
 * are refused at once instead of piling up.
 */
export class TelemetryWriter {
  private readonly queue: Pending[] = []
  private queuedRows = 0
  private inFlight = 0
  private isDatabaseDown = false
  private isClosing = false
  private probe: NodeJS.Timeout | undefined
  private drained: (() => void) | undefined
  private readonly options: Required<Omit<WriterOptions, 'onCommit' | 'onBatch'>> &
    Pick<WriterOptions, 'onCommit' | 'onBatch'>

  constructor(
    private readonly sink: TelemetrySink,
    options: WriterOptions = {},
  ) {
    this.options = {
      maxQueueRows: 200_000,
      maxBatchRows: 20_000,
      concurrency: 2,
      writeTimeoutMs: 15_000,
      probeIntervalMs: 500,
      ...options,
    }
  }

  get queueDepth(): number {
    return this.queuedRows
  }

  get isAvailable(): boolean {
    return !this.isDatabaseDown && !this.isClosing
  }

  write(rows: TelemetryInsert[]): Promise<WriteResult> {
    if (rows.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 })
    if (this.isClosing) {
      return Promise.reject(new WriterUnavailableError('closing', 'Server is shutting down'))
    }
    if (this.isDatabaseDown) {
      return Promise.reject(new WriterUnavailableError('database_down', 'Database unreachable'))
    }
    if (this.queuedRows + rows.length > this.options.maxQueueRows) {
      return Promise.reject(new WriterUnavailableError('queue_full', 'Ingestion queue is full'))
    }
    return new Promise<WriteResult>((resolve, reject) => {
      const pending: Pending = {
        rows,
        resolve,
        reject,
        timer: undefined,
        isSettled: false,
        queuedAt: performance.now(),
      }
      pending.timer = setTimeout(() => this.expire(pending), this.options.writeTimeoutMs)
      this.queue.push(pending)
      this.queuedRows += rows.length
      this.pump()
    })
  }

  /** Refuses new writes, commits everything accepted so far, then closes the sink. */
  async close(): Promise<void> {
    this.isClosing = true
    if (this.queue.length > 0 || this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve
        this.pump()
      })
    }
    clearInterval(this.probe)
    await this.sink.close()
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      if (this.isDatabaseDown) return
      const batch = this.takeBatch()
      this.inFlight++
      this.flush(batch).finally(() => {
        this.inFlight--
        this.pump()
        if (this.drained && this.queue.length === 0 && this.inFlight === 0) this.drained()
      })
    }
  }

  /** Whole writes, oldest first, up to the batch size (a larger single write goes alone). */
  private takeBatch(): Pending[] {
    const batch: Pending[] = []
    let size = 0
    for (let next = this.queue[0]; next !== undefined; next = this.queue[0]) {
      if (batch.length > 0 && size + next.rows.length > this.options.maxBatchRows) break
      this.queue.shift()
      this.queuedRows -= next.rows.length
      if (next.isSettled) continue
      batch.push(next)
      size += next.rows.length
    }
    return batch
  }

  private async flush(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return
    const [only] = batch
    const rows = batch.length === 1 && only ? only.rows : batch.flatMap((p) => p.rows)
    const started = performance.now()
    try {
      let inserted: Set<string> | null = null
      // Only a COPY that hit a duplicate is redone: a sink without COPY inserts in one statement.
      // A batch repeating a point can't COPY (the unique key fails it whole): straight to the
      // duplicate-tolerant insert instead of a COPY bound to fail and be redone.
      let isFallback = hasRepeatedPoint(rows)
      if (this.sink.copy && !isFallback) {
        try {
          await this.sink.copy(rows)
        } catch (error) {
          if (uniqueViolation(error) === null) throw error
          isFallback = true
        }
      }
      if (isFallback || !this.sink.copy) inserted = await this.sink.insertNew(rows)
      this.options.onBatch?.({
        rows: rows.length,
        // The queue is first in, first out: the batch's first write waited longest.
        waitSeconds: (started - (batch[0]?.queuedAt ?? started)) / 1000,
        seconds: (performance.now() - started) / 1000,
        isFallback,
      })
      this.settle(batch, inserted)
    } catch (error) {
      const isConnection = isConnectionError(error)
      if (isConnection) this.markDatabaseDown()
      const failure = isConnection
        ? new WriterUnavailableError('database_down', 'Database unreachable', { cause: error })
        : sqlStateCode(error) === '57014' // statement timeout: slow, not broken
          ? new WriterUnavailableError('timeout', 'Database too slow; retry later', {
              cause: error,
            })
          : error instanceof Error
            ? error
            : new Error(String(error))
      for (const pending of batch) this.finish(pending, () => pending.reject(failure))
    }
  }

  /** Credits each new row to the first write in the batch that carried it. */
  private settle(batch: Pending[], inserted: Set<string> | null): void {
    const committed: TelemetryInsert[] = []
    for (const pending of batch) {
      let accepted = pending.rows.length
      if (inserted) {
        accepted = 0
        for (const row of pending.rows) {
          const key = pointKey(row.deviceId, row.time)
          if (inserted.delete(key)) {
            accepted++
            committed.push(row)
          }
        }
      } else {
        for (const row of pending.rows) committed.push(row)
      }
      const result = { accepted, duplicates: pending.rows.length - accepted }
      this.finish(pending, () => pending.resolve(result))
    }
    if (committed.length > 0) this.options.onCommit?.(committed)
  }

  private finish(pending: Pending, settle: () => void): void {
    clearTimeout(pending.timer)
    if (pending.isSettled) return
    pending.isSettled = true
    settle()
  }

  private expire(pending: Pending): void {
    this.finish(pending, () =>
      pending.reject(new WriterUnavailableError('timeout', 'Database too slow; retry later')),
    )
  }

  private markDatabaseDown(): void {
    if (this.isDatabaseDown) return
    this.isDatabaseDown = true
    // Writes still queued would only wait for a database that is gone: refuse them now.
    for (const pending of this.queue.splice(0)) {
      this.queuedRows -= pending.rows.length
      this.finish(pending, () =>
        pending.reject(new WriterUnavailableError('database_down', 'Database unreachable')),
      )
    }
    let isProbing = false
    this.probe = setInterval(() => {
      if (isProbing) return
      isProbing = true
      this.sink
        .ping()
        .then(
          () => {
            clearInterval(this.probe)
            this.isDatabaseDown = false
            this.pump()
          },
          () => {},
        )
        .finally(() => {
          isProbing = false
        })
    }, this.options.probeIntervalMs)
    this.probe.unref()
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01',
  '57P02',
  '57P03',
])

/** True when the database could not be reached (as opposed to rejecting the data). */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08')))
      return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

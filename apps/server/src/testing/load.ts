import { setTimeout as sleep } from 'node:timers/promises'
import type { IngestResult } from '@fms/api/schemas'
import { makePoints, postTelemetry, type WirePoint } from '@fms/testkit'

/** One request of a load run and how it was answered (status 0: no answer, e.g. timed out). */
export interface Attempt {
  batch: number
  status: number
  retryAfter: string | null
  /** `Date.now()` when the request was sent and when its answer (or failure) came. */
  startedAt: number
  endedAt: number
  result: IngestResult | undefined
  error: string | undefined
}

export interface LoadBatch {
  id: number
  points: WirePoint[]
  /** A 2xx came back for it: the server says its points are committed. */
  isAcknowledged: boolean
}

export interface LoadOptions {
  url: string
  token: string
  deviceIds: readonly string[]
  clients: number
  batchSize: number
  /** Per request: no answer by then counts as a hang (status 0). */
  requestTimeoutMs?: number
  /** Retry-After is honoured up to this long, to keep tests short. */
  maxRetryDelayMs?: number
}

/**
 * Steady ingestion load: `clients` loops, each posting fresh batches (points no other batch has)
 * and retrying one until it is acknowledged, the way a well-behaved device does. Every request is
 * recorded so a test can check answers against what the database holds.
 */
export function startLoad(options: LoadOptions) {
  const batches: LoadBatch[] = []
  const attempts: Attempt[] = []
  let isGenerating = true
  let giveUpAt = Number.POSITIVE_INFINITY

  async function send(batch: LoadBatch): Promise<void> {
    while (Date.now() < giveUpAt) {
      const startedAt = Date.now()
      let attempt: Attempt
      try {
        const answer = await postTelemetry(options.url, {
          token: options.token,
          body: batch.points,
          timeoutMs: options.requestTimeoutMs ?? 5000,
        })
        attempt = {
          batch: batch.id,
          status: answer.status,
          retryAfter: answer.headers.get('retry-after'),
          startedAt,
          endedAt: Date.now(),
          result: answer.status < 300 ? (answer.body as IngestResult) : undefined,
          error: undefined,
        }
      } catch (error) {
        attempt = {
          batch: batch.id,
          status: 0,
          retryAfter: null,
          startedAt,
          endedAt: Date.now(),
          result: undefined,
          error: String(error),
        }
      }
      attempts.push(attempt)
      if (attempt.status >= 200 && attempt.status < 300) {
        batch.isAcknowledged = true
        return
      }
      const retryAfterMs = Number(attempt.retryAfter ?? 0.2) * 1000
      await sleep(Math.min(retryAfterMs, options.maxRetryDelayMs ?? 1000))
    }
  }

  const running = Promise.all(
    Array.from({ length: options.clients }, async (_, client) => {
      const deviceId = options.deviceIds[client % options.deviceIds.length]!
      while (isGenerating && Date.now() < giveUpAt) {
        const batch = {
          id: batches.length,
          points: makePoints(deviceId, options.batchSize),
          isAcknowledged: false,
        }
        batches.push(batch)
        await send(batch)
      }
    }),
  )

  return {
    batches,
    attempts,
    /** Stops new batches; the unacknowledged ones are retried for up to `drainWithinMs`. */
    async stop(drainWithinMs: number): Promise<void> {
      isGenerating = false
      giveUpAt = Date.now() + drainWithinMs
      await running
    },
  }
}

export type Load = ReturnType<typeof startLoad>

/** The attempts that were sent and answered entirely within [from, to]. */
export function attemptsWithin(load: Load, from: number, to: number): Attempt[] {
  return load.attempts.filter((a) => a.startedAt >= from && a.endedAt <= to)
}

/** The batches never acknowledged, each with how its attempts were answered (for failures). */
export function unacknowledged(load: Load) {
  return load.batches
    .filter((batch) => !batch.isAcknowledged)
    .map((batch) => ({
      batch: batch.id,
      answers: load.attempts
        .filter((a) => a.batch === batch.id)
        .map((a) => `${a.status}${a.error ? ` ${a.error}` : ''} (${a.endedAt - a.startedAt} ms)`),
    }))
}

import type { TPostOutcome } from './transport.ts'

const MIN_MS = 0.01
const GROWTH = 1.02
const LOG_GROWTH = Math.log(GROWTH)

/**
 * Request latencies in logarithmic buckets (2 % wide): constant memory over a week-long run,
 * percentiles within 2 %.
 */
export interface LatencyHistogram {
  readonly count: number
  readonly maxMs: number
  record(ms: number): void
  /** The latency below which `p` (0-1) of the requests fell, ms; 0 when nothing was recorded. */
  percentile(p: number): number
  reset(): void
}

export function createLatencyHistogram(): LatencyHistogram {
  let buckets = new Map<number, number>()
  let count = 0
  let maxMs = 0
  return {
    get count() {
      return count
    },
    get maxMs() {
      return maxMs
    },
    record(ms) {
      const index = ms <= MIN_MS ? 0 : Math.ceil(Math.log(ms / MIN_MS) / LOG_GROWTH)
      buckets.set(index, (buckets.get(index) ?? 0) + 1)
      count++
      maxMs = Math.max(maxMs, ms)
    },
    percentile(p) {
      if (count === 0) return 0
      const rank = Math.max(1, Math.ceil(p * count))
      let seen = 0
      for (const index of [...buckets.keys()].sort((a, b) => a - b)) {
        seen += buckets.get(index) ?? 0
        if (seen >= rank) return Math.min(maxMs, MIN_MS * GROWTH ** index)
      }
      return maxMs
    },
    reset() {
      buckets = new Map()
      count = 0
      maxMs = 0
    },
  }
}

/** Everything counted during a run. Points: generated = acknowledged + rejected + dropped + pending. */
export interface RunCounters {
  generated: number
  /** Points the server answered for: accepted or already stored (duplicates). */
  acknowledged: number
  accepted: number
  duplicates: number
  rejected: number
  dropped: number
  requests: number
  /** Requests that failed for now and were tried again. */
  retried: number
  /** How often each kind of failure happened ("HTTP 503", "timeout", "network: ECONNREFUSED"). */
  failures: Record<string, number>
  /** Answers by HTTP status. */
  statuses: Record<string, number>
}

export interface RunStats {
  counters: RunCounters
  /** Every request of the run. */
  latency: LatencyHistogram
  /** Requests since the last progress line. */
  windowLatency: LatencyHistogram
  /** Acknowledged points since the last progress line. */
  windowAcknowledged: number
  /** When the current progress window began (performance.now()). */
  windowStartedAt: number
  recordOutcome(outcome: TPostOutcome, points: number): void
}

function increment(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1
}

export function createRunStats(): RunStats {
  const stats: RunStats = {
    counters: {
      generated: 0,
      acknowledged: 0,
      accepted: 0,
      duplicates: 0,
      rejected: 0,
      dropped: 0,
      requests: 0,
      retried: 0,
      failures: {},
      statuses: {},
    },
    latency: createLatencyHistogram(),
    windowLatency: createLatencyHistogram(),
    windowAcknowledged: 0,
    windowStartedAt: performance.now(),
    recordOutcome(outcome, points) {
      const c = stats.counters
      if (outcome.kind === 'aborted') return
      c.requests++
      if ('status' in outcome && outcome.status !== undefined)
        increment(c.statuses, String(outcome.status))
      if (outcome.kind === 'too_large') increment(c.statuses, '413')
      if ('latencyMs' in outcome && outcome.latencyMs !== undefined) {
        stats.latency.record(outcome.latencyMs)
        stats.windowLatency.record(outcome.latencyMs)
      }
      if (outcome.kind === 'retry') {
        c.retried++
        increment(c.failures, outcome.reason)
      } else if (outcome.kind === 'delivered') {
        const rejected = Math.min(points, outcome.result.rejected.length)
        c.accepted += outcome.result.accepted
        c.duplicates += outcome.result.duplicates
        c.rejected += rejected
        c.acknowledged += points - rejected
        stats.windowAcknowledged += points - rejected
      }
    },
  }
  return stats
}

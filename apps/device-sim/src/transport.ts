import type { IngestResult, TTelemetryPointWire } from '@fms/api/schemas'

/** What became of one POST /api/telemetry. */
export type TPostOutcome =
  /** 200 (or 422: every point refused): the server has decided on every point. */
  | { kind: 'delivered'; status: number; result: IngestResult; latencyMs: number }
  /** Try again later: 429, 503 and other 5xx, timeouts and network errors. */
  | { kind: 'retry'; reason: string; status?: number; retryAfterMs?: number; latencyMs?: number }
  /** 413: send fewer points per request. */
  | { kind: 'too_large'; latencyMs: number }
  /** 400/401/403/404/415...: retrying cannot help (a bad token, a bug). */
  | { kind: 'fatal'; status: number; reason: string; latencyMs?: number }
  /** The run was stopped while the request was out. */
  | { kind: 'aborted' }

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const MAX_RETRY_AFTER_MS = 300_000
export const USER_AGENT = 'fms-device-sim/0.1.0'

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or bad. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const trimmed = header.trim()
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now
  return Number.isFinite(ms) ? Math.min(MAX_RETRY_AFTER_MS, Math.max(0, ms)) : undefined
}

/**
 * Exponential backoff with full jitter (a uniform wait up to base * 2^(attempt-1), capped), but
 * never sooner than the server's Retry-After. `attempt` counts from 1.
 */
export function computeBackoffMs(input: {
  attempt: number
  baseMs: number
  capMs: number
  retryAfterMs?: number | undefined
  random?: () => number
}): number {
  const ceiling = Math.min(input.capMs, input.baseMs * 2 ** Math.max(0, input.attempt - 1))
  const jittered = (input.random ?? Math.random)() * ceiling
  return Math.max(input.retryAfterMs ?? 0, jittered)
}

function isIngestResult(value: unknown): value is IngestResult {
  const v = value as Partial<IngestResult> | null
  return (
    typeof v?.accepted === 'number' && typeof v.duplicates === 'number' && Array.isArray(v.rejected)
  )
}

function describeNetworkError(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string } }
  if (err.name === 'TimeoutError') return 'timeout'
  return `network: ${err.cause?.code ?? err.message ?? String(error)}`
}

/** Posts one batch (points of one or more devices of the token) and classifies the answer. */
export async function postTelemetry(input: {
  server: string
  token: string
  points: readonly TTelemetryPointWire[]
  timeoutMs: number
  signal?: AbortSignal
}): Promise<TPostOutcome> {
  const timeout = AbortSignal.timeout(input.timeoutMs)
  const signal = input.signal ? AbortSignal.any([input.signal, timeout]) : timeout
  const startedAt = performance.now()
  try {
    const response = await fetch(`${input.server}/api/telemetry`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${input.token}`,
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
      },
      body: JSON.stringify(input.points),
      signal,
    })
    const text = await response.text()
    const latencyMs = performance.now() - startedAt
    const status = response.status
    if (status === 200 || status === 422) {
      let body: unknown
      try {
        body = JSON.parse(text)
      } catch {
        body = null
      }
      // A 2xx we cannot read is not an acknowledgement; resending is harmless.
      if (!isIngestResult(body))
        return { kind: 'retry', reason: 'unreadable answer', status, latencyMs }
      return { kind: 'delivered', status, result: body, latencyMs }
    }
    if (RETRY_STATUSES.has(status)) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'))
      return { kind: 'retry', reason: `HTTP ${status}`, status, retryAfterMs, latencyMs }
    }
    if (status === 413) return { kind: 'too_large', latencyMs }
    return { kind: 'fatal', status, reason: `HTTP ${status}: ${text.slice(0, 200)}`, latencyMs }
  } catch (error) {
    if (input.signal?.aborted) return { kind: 'aborted' }
    return { kind: 'retry', reason: describeNetworkError(error) }
  }
}

import type { AnomalyConfig } from './anomalies.ts'
import type { Device } from './device.ts'
import type { RunStats } from './stats.ts'

/** One progress report (every second while running). */
export interface Progress {
  elapsedSec: number
  vehicles: number
  generated: number
  acknowledged: number
  /** Points waiting for delivery or in flight. */
  pending: number
  retried: number
  dropped: number
  /** Acknowledged points per second since the previous report. */
  pointsPerSec: number
  /** Request latency since the previous report, ms (null: no requests). */
  p50Ms: number | null
  p99Ms: number | null
}

/** The end-of-run report; `--json` prints exactly this object. */
export interface RunSummary {
  /** Time of the first tick (ISO 8601); tick k is at startedAt + k / rateHz. */
  startedAt: string
  vehicles: number
  rateHz: number
  /** Simulated seconds driven: --duration, or less when stopped early. */
  durationSec: number
  seed: number
  anomalies: string[]
  elapsedSec: number
  generated: number
  acknowledged: number
  accepted: number
  duplicates: number
  rejected: number
  dropped: number
  /** Points never acknowledged (the server stayed unreachable past the drain timeout). */
  pending: number
  requests: number
  retried: number
  failures: Record<string, number>
  statuses: Record<string, number>
  pointsPerSec: number
  latencyMs: { p50: number; p90: number; p99: number; max: number }
  /** How far behind schedule point generation ever fell, ms (a sign of an overloaded client). */
  maxLagMs: number
  error?: string
}

function countPending(devices: readonly Device[]): number {
  let pending = 0
  for (const device of devices) pending += device.pendingCount + device.inFlightCount
  return pending
}

const round1 = (value: number) => Math.round(value * 10) / 10

export function buildProgress(input: {
  stats: RunStats
  devices: readonly Device[]
  startedAt: number
}): Progress {
  const { stats } = input
  const now = performance.now()
  const windowSec = Math.max(0.001, (now - stats.windowStartedAt) / 1000)
  const hasRequests = stats.windowLatency.count > 0
  const progress: Progress = {
    elapsedSec: round1((now - input.startedAt) / 1000),
    vehicles: input.devices.length,
    generated: stats.counters.generated,
    acknowledged: stats.counters.acknowledged,
    pending: countPending(input.devices),
    retried: stats.counters.retried,
    dropped: stats.counters.dropped,
    pointsPerSec: round1(stats.windowAcknowledged / windowSec),
    p50Ms: hasRequests ? round1(stats.windowLatency.percentile(0.5)) : null,
    p99Ms: hasRequests ? round1(stats.windowLatency.percentile(0.99)) : null,
  }
  stats.windowLatency.reset()
  stats.windowAcknowledged = 0
  stats.windowStartedAt = now
  return progress
}

export function buildSummary(input: {
  stats: RunStats
  devices: readonly Device[]
  startedAt: number
  startMs: number
  simulatedSec: number
  options: { rateHz: number; seed: number; anomalies: AnomalyConfig }
  maxLagMs: number
  error: string | undefined
}): RunSummary {
  const { counters, latency } = input.stats
  const elapsedSec = (performance.now() - input.startedAt) / 1000
  return {
    startedAt: new Date(input.startMs).toISOString(),
    vehicles: input.devices.length,
    rateHz: input.options.rateHz,
    durationSec: round1(input.simulatedSec),
    seed: input.options.seed,
    anomalies: [...input.options.anomalies.kinds],
    elapsedSec: round1(elapsedSec),
    generated: counters.generated,
    acknowledged: counters.acknowledged,
    accepted: counters.accepted,
    duplicates: counters.duplicates,
    rejected: counters.rejected,
    dropped: counters.dropped,
    pending: countPending(input.devices),
    requests: counters.requests,
    retried: counters.retried,
    failures: counters.failures,
    statuses: counters.statuses,
    pointsPerSec: round1(counters.acknowledged / Math.max(0.001, elapsedSec)),
    latencyMs: {
      p50: round1(latency.percentile(0.5)),
      p90: round1(latency.percentile(0.9)),
      p99: round1(latency.percentile(0.99)),
      max: round1(latency.maxMs),
    },
    maxLagMs: Math.round(input.maxLagMs),
    ...(input.error ? { error: input.error } : {}),
  }
}

const ms = (value: number | null) => (value === null ? '-' : `${value} ms`)

export function formatProgress(p: Progress): string {
  return (
    `${p.elapsedSec.toFixed(0).padStart(5)} s  ${p.vehicles} vehicles  ${p.pointsPerSec} points/s  ` +
    `acknowledged ${p.acknowledged}/${p.generated}  pending ${p.pending}  retried ${p.retried}` +
    `${p.dropped ? `  dropped ${p.dropped}` : ''}  p50 ${ms(p.p50Ms)}  p99 ${ms(p.p99Ms)}`
  )
}

export function formatSummary(s: RunSummary): string {
  const lines = [
    `${s.vehicles} vehicles at ${s.rateHz} Hz for ${s.durationSec} s (seed ${s.seed}), ${s.elapsedSec} s elapsed`,
    `points: ${s.generated} generated, ${s.acknowledged} acknowledged (${s.accepted} new, ${s.duplicates} duplicates), ` +
      `${s.rejected} rejected, ${s.dropped} dropped, ${s.pending} undelivered`,
    `requests: ${s.requests}, ${s.retried} retried; ${s.pointsPerSec} points/s; latency p50 ` +
      `${s.latencyMs.p50} ms, p90 ${s.latencyMs.p90} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms`,
  ]
  const failures = Object.entries(s.failures)
  if (failures.length > 0)
    lines.push(`retried on: ${failures.map(([k, n]) => `${k} x${n}`).join(', ')}`)
  if (s.maxLagMs > 1000) lines.push(`generation fell up to ${s.maxLagMs} ms behind schedule`)
  if (s.error) lines.push(`stopped: ${s.error}`)
  return `${lines.join('\n')}\n`
}

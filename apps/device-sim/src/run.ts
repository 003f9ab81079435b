import { type AnomalyConfig, NO_ANOMALIES } from './anomalies.ts'
import { type Clock, createSystemClock, sleepUntil } from './clock.ts'
import { createDevice, type Device } from './device.ts'
import type { LatLon } from './geo.ts'
import { computeTickTime, createFleet, type Fleet, stepFleet } from './motion/fleet.ts'
import { checkWirePoint, toWirePoint } from './point.ts'
import { buildProgress, buildSummary, type Progress, type RunSummary } from './report.ts'
import { createRunStats, type RunStats } from './stats.ts'
import { postTelemetry } from './transport.ts'
import { runUplink, type UplinkControl } from './uplink.ts'

export interface RunOptions {
  server: string
  /** Device token (fmd_...) that serves every device below. */
  token: string
  /** One device per simulated vehicle. */
  deviceIds: readonly string[]
  /** Per vehicle, the driver identifier its points carry (`driver_id`); none when omitted. */
  driverIdentifiers?: readonly string[] | undefined
  rateHz: number
  durationSec: number
  seed: number
  center: LatLon
  radiusKm: number
  anomalies?: AnomalyConfig
  clock?: Clock
  flushIntervalMs?: number
  maxPointsPerRequest?: number
  requestTimeoutMs?: number
  /** After the duration (or a stop), how long to keep delivering what is left (clock time). */
  drainTimeoutMs?: number
  /** Requests in parallel; default grows with the fleet, up to 16. */
  uplinks?: number
  backoff?: { baseMs: number; capMs: number }
  progressIntervalMs?: number
  onProgress?: (progress: Progress) => void
  log?: (line: string) => void
  /** Graceful stop (first Ctrl-C): stop generating, deliver what is left. */
  stop?: AbortSignal
  /** Hard stop (second Ctrl-C): give up now. */
  abort?: AbortSignal
}

/** Requests per flush interval: about one per 25 vehicles, at most 16 (the rate limit is per token). */
export function countUplinks(vehicles: number): number {
  return Math.min(16, Math.max(1, Math.ceil(vehicles / 25)))
}

type Log = (line: string) => void

function recordTick(
  fleet: Fleet,
  devices: Device[],
  stats: RunStats,
  log: Log,
  drivers: readonly string[] | undefined,
) {
  const { time, samples } = stepFleet(fleet)
  samples.forEach((sample, index) => {
    const device = devices[index]
    if (!sample || !device) return
    const point = toWirePoint(sample, device.id, time, drivers?.[index])
    const problem = checkWirePoint(point)
    stats.counters.generated++
    if (!problem) {
      device.record(point)
      return
    }
    // Never expected: the motion model keeps every value in range. Counted, logged, not sent.
    stats.counters.rejected++
    log(`point of ${device.id} fails the schema (${problem}); not sent`)
  })
  return time
}

/** Splits the devices over the uplinks (device i goes to uplink i mod n) and starts them. */
function startUplinks(
  input: { options: RunOptions; clock: Clock; devices: Device[]; stats: RunStats; log: Log },
  control: UplinkControl,
): Promise<void>[] {
  const { options, devices } = input
  const count = Math.min(devices.length, options.uplinks ?? countUplinks(devices.length))
  const flushIntervalMs = options.flushIntervalMs ?? 1000
  return Array.from({ length: count }, (_, u) =>
    runUplink(
      {
        devices: devices.filter((_, index) => index % count === u),
        post: (points, signal) =>
          postTelemetry({
            server: options.server,
            token: options.token,
            points,
            timeoutMs: options.requestTimeoutMs ?? 20_000,
            signal,
          }),
        clock: input.clock,
        flushIntervalMs,
        maxPointsPerRequest: options.maxPointsPerRequest ?? 2000,
        backoff: options.backoff ?? { baseMs: 500, capMs: 30_000 },
        stats: input.stats,
        offsetMs: (u * flushIntervalMs) / count,
        log: input.log,
      },
      control,
    ),
  )
}

/**
 * Samples the fleet on schedule for the duration (or until `signal`), queueing each point on its
 * device; returns the simulated seconds covered and how far generation fell behind.
 */
async function generatePoints(input: {
  options: RunOptions
  clock: Clock
  fleet: Fleet
  devices: Device[]
  stats: RunStats
  log: Log
  signal: AbortSignal
}) {
  const { options, clock, fleet, signal } = input
  const ticks = Math.max(1, Math.floor(options.durationSec * options.rateHz))
  let maxLagMs = 0
  for (let tick = 0; tick < ticks && !signal.aborted; tick++) {
    await sleepUntil(clock, computeTickTime(fleet, tick), signal)
    if (signal.aborted) break
    const time = recordTick(fleet, input.devices, input.stats, input.log, options.driverIdentifiers)
    maxLagMs = Math.max(maxLagMs, clock.now() - time)
  }
  const endMs = fleet.startMs + options.durationSec * 1000
  await sleepUntil(clock, endMs, signal)
  return { simulatedSec: (Math.min(clock.now(), endMs) - fleet.startMs) / 1000, maxLagMs }
}

/** Drives the fleet for the duration, delivering every point; resolves with the summary. */
export async function runSimulation(options: RunOptions): Promise<RunSummary> {
  const clock = options.clock ?? createSystemClock()
  const log = options.log ?? (() => {})
  const stats = createRunStats()
  const startedAt = performance.now()
  const startMs = clock.now()
  const fleet = createFleet({ ...options, vehicles: options.deviceIds.length, startMs })
  const devices = options.deviceIds.map((id) =>
    createDevice(id, {
      onDrop: (device, count) => {
        stats.counters.dropped += count
        log(`device ${device.id}: buffer full, dropped its ${count} oldest point(s)`)
      },
    }),
  )
  const hardStop = new AbortController()
  if (options.abort?.aborted) hardStop.abort()
  options.abort?.addEventListener('abort', () => hardStop.abort(), { once: true })
  let isStopping = false
  let failure: Error | undefined

  const uplinks = startUplinks(
    { options, clock, devices, stats, log },
    {
      signal: hardStop.signal,
      isStopping: () => isStopping,
    },
  ).map((uplink) =>
    uplink.catch((error: unknown) => {
      failure ??= error instanceof Error ? error : new Error(String(error))
      hardStop.abort()
    }),
  )

  const progressTimer = setInterval(() => {
    options.onProgress?.(buildProgress({ stats, devices, startedAt }))
  }, options.progressIntervalMs ?? 1000)

  let generation: { simulatedSec: number; maxLagMs: number }
  try {
    const signal = options.stop ? AbortSignal.any([hardStop.signal, options.stop]) : hardStop.signal
    generation = await generatePoints({ options, clock, fleet, devices, stats, log, signal })
  } catch (error) {
    hardStop.abort()
    clearInterval(progressTimer)
    throw error
  }

  isStopping = true
  const drain = new AbortController()
  clock.sleep(options.drainTimeoutMs ?? 30_000, drain.signal).then(() => {
    if (!drain.signal.aborted) hardStop.abort()
  })
  await Promise.all(uplinks)
  drain.abort()
  clearInterval(progressTimer)
  return buildSummary({
    stats,
    devices,
    startedAt,
    startMs,
    ...generation,
    options: { ...options, anomalies: options.anomalies ?? NO_ANOMALIES },
    error: failure?.message,
  })
}

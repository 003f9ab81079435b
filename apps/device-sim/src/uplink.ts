import type { TTelemetryPointWire } from '@fms/api/schemas'
import { type Clock, sleepUntil } from './clock.ts'
import type { Device } from './device.ts'
import type { RunStats } from './stats.ts'
import { computeBackoffMs, type TPostOutcome } from './transport.ts'

/** A failure that retrying cannot fix (a revoked token, a refused request format). */
export class FatalDeliveryError extends Error {
  override name = 'FatalDeliveryError'
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

export interface UplinkOptions {
  /** The devices whose points this uplink carries (all of one device token). */
  devices: readonly Device[]
  post: (points: TTelemetryPointWire[], signal: AbortSignal) => Promise<TPostOutcome>
  clock: Clock
  flushIntervalMs: number
  maxPointsPerRequest: number
  backoff: { baseMs: number; capMs: number }
  stats: RunStats
  /** Delay of the first flush, so several uplinks don't post in step. */
  offsetMs?: number
  random?: () => number
  log?: (line: string) => void
}

export interface UplinkControl {
  /** Hard stop: give up at once (points not yet acknowledged stay pending). */
  signal: AbortSignal
  /** Graceful stop: no new points will come; deliver what is left and return. */
  isStopping(): boolean
}

/** Takes the oldest points of the devices, starting with a different device each time. */
function gatherBatch(devices: readonly Device[], max: number, start: number) {
  const parts: { device: Device; points: TTelemetryPointWire[] }[] = []
  let room = max
  for (let k = 0; k < devices.length && room > 0; k++) {
    const device = devices[(start + k) % devices.length] as Device
    const points = device.take(room)
    if (points.length > 0) {
      parts.push({ device, points })
      room -= points.length
    }
  }
  return {
    points: parts.flatMap((part) => part.points),
    acknowledge: () => {
      for (const part of parts) part.device.acknowledge(part.points)
    },
    restore: () => {
      for (const part of parts) part.device.restore(part.points)
    },
  }
}

function hasBacklog(devices: readonly Device[], max: number): boolean {
  let waiting = 0
  for (const device of devices) waiting += device.pendingCount
  return waiting >= max
}

/**
 * One connection's worth of store-and-forward: every flush interval it posts the waiting points
 * of its devices in one request; on 429/503/network errors it puts them back and retries with
 * exponential backoff and full jitter (at least Retry-After); a backlog goes out back to back.
 */
export async function runUplink(options: UplinkOptions, control: UplinkControl): Promise<void> {
  const { clock, devices, stats } = options
  let attempt = 0
  let maxPoints = options.maxPointsPerRequest
  let start = 0
  let isDue = false
  let nextFlushAt = clock.now() + (options.offsetMs ?? 0)
  while (!control.signal.aborted) {
    if (!isDue && !control.isStopping()) {
      await sleepUntil(clock, nextFlushAt, control.signal)
      nextFlushAt = Math.max(nextFlushAt + options.flushIntervalMs, clock.now())
    }
    isDue = false
    const batch = gatherBatch(devices, maxPoints, start)
    start = (start + 1) % Math.max(1, devices.length)
    if (batch.points.length === 0) {
      if (control.isStopping()) return
      continue
    }
    const outcome = await options.post(batch.points, control.signal)
    stats.recordOutcome(outcome, batch.points.length)
    if (outcome.kind === 'delivered') {
      batch.acknowledge()
      attempt = 0
      isDue = hasBacklog(devices, maxPoints)
      continue
    }
    batch.restore()
    if (outcome.kind === 'aborted') return
    if (outcome.kind === 'fatal') throw new FatalDeliveryError(outcome.reason, outcome.status)
    if (outcome.kind === 'too_large') {
      maxPoints = Math.max(1, Math.floor(maxPoints / 2))
      options.log?.(`server said 413: now at most ${maxPoints} points per request`)
      isDue = true
      continue
    }
    attempt++
    const waitMs = computeBackoffMs({
      attempt,
      ...options.backoff,
      retryAfterMs: outcome.retryAfterMs,
      random: options.random,
    })
    await clock.sleep(waitMs, control.signal)
    isDue = true
  }
}

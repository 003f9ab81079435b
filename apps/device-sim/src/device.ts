import type { TTelemetryPointWire } from '@fms/api/schemas'

/** Most points a device keeps while it cannot deliver; beyond this the oldest go (and are counted). */
export const DEVICE_BUFFER_MAX = 10_000

/**
 * A tracker's store-and-forward memory: points wait here until the server acknowledges them.
 * Points taken for a request are "in flight"; a failed request puts them back at the front, in
 * order, so nothing is lost and the server sees each device's points oldest first.
 */
export interface Device {
  readonly id: string
  /** Points waiting to be sent (not counting those in flight). */
  readonly pendingCount: number
  readonly inFlightCount: number
  /** Points dropped because the buffer was full. */
  readonly droppedCount: number
  record(point: TTelemetryPointWire): void
  /** Takes up to `max` of the oldest waiting points for a request. */
  take(max: number): TTelemetryPointWire[]
  /** The request carrying `points` succeeded. */
  acknowledge(points: readonly TTelemetryPointWire[]): void
  /** The request carrying `points` failed: they go back to the front of the queue. */
  restore(points: readonly TTelemetryPointWire[]): void
}

export function createDevice(
  id: string,
  options: { maxBuffered?: number; onDrop?: (device: Device, dropped: number) => void } = {},
): Device {
  const maxBuffered = options.maxBuffered ?? DEVICE_BUFFER_MAX
  let pending: TTelemetryPointWire[] = []
  let inFlight = 0
  let dropped = 0

  /** Drops the oldest waiting points while the buffer is over its bound. */
  function enforceBound(): void {
    const excess = pending.length + inFlight - maxBuffered
    if (excess <= 0) return
    const count = Math.min(excess, pending.length)
    pending.splice(0, count)
    dropped += count
    options.onDrop?.(device, count)
  }

  const device: Device = {
    id,
    get pendingCount() {
      return pending.length
    },
    get inFlightCount() {
      return inFlight
    },
    get droppedCount() {
      return dropped
    },
    record(point) {
      pending.push(point)
      enforceBound()
    },
    take(max) {
      const batch = pending.length <= max ? pending : pending.slice(0, max)
      pending = pending.length <= max ? [] : pending.slice(max)
      inFlight += batch.length
      return batch
    },
    acknowledge(points) {
      inFlight -= points.length
    },
    restore(points) {
      inFlight -= points.length
      pending = points.length === 0 ? pending : [...points, ...pending]
      enforceBound()
    },
  }
  return device
}

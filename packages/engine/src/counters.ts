/**
 * A vehicle's running counters on the committed stream: distance driven and engine-on time, as
 * the maintenance schedules count them. Part of the engine state, so the live path and a replay
 * after late points compute the same totals, from the same cleaned points the reports use.
 */
import { isEngineOn } from './points.ts'
import { measureSegment, SEGMENT_MAX_GAP_MS } from './segments.ts'
import type { RulePoint } from './types.ts'

export interface VehicleCounters {
  /** Distance over every stretch between consecutive points (`measureSegment`), km. */
  distanceKm: number
  /** Engine-on time: stretches that start with the engine on and are no data gap, seconds. */
  engineSec: number
  /** The newest odometer the device reported, km (null: it reports none). */
  odometerKm: number | null
  /** The newest fuel level the device reported, % (refuel reconciliation, litres shown). */
  fuelPct: number | null
}

export function createCounters(): VehicleCounters {
  return { distanceKm: 0, engineSec: 0, odometerKm: null, fuelPct: null }
}

/** The counters after the stretch from `prev` to `point` (both cleaned, in time order). */
export function countStretch(
  counters: VehicleCounters,
  prev: RulePoint | null,
  point: RulePoint,
): VehicleCounters {
  const next = {
    ...counters,
    odometerKm: point.odometer ?? counters.odometerKm,
    fuelPct: point.fuel ?? counters.fuelPct,
  }
  if (!prev) return next
  const segment = measureSegment(prev, point)
  next.distanceKm += segment.distanceKm
  if (point.time - prev.time <= SEGMENT_MAX_GAP_MS && isEngineOn(prev)) {
    next.engineSec += (point.time - prev.time) / 1000
  }
  return next
}

import { measurePointsKm } from './geo.ts'
import { isEngineOn } from './points.ts'
import type { RulePoint } from './types.ts'

/** Below this (km/h) a vehicle is stopped; trips, stops and daily idle time all use it. */
export const STOP_SPEED_KMH = 3
/** Consecutive points further apart than this are a data gap: no driving or idle time counted. */
export const SEGMENT_MAX_GAP_MS = 600_000

/** The stretch between two consecutive points of the cleaned stream. */
export interface Segment {
  from: RulePoint
  to: RulePoint
  durationSec: number
  distanceKm: number
  /** Mean of the two reported speeds, or implied by distance when neither has one. */
  speed: number
  isGap: boolean
  isMoving: boolean
  /** Stopped with the engine on (judged at the segment's start). */
  isIdle: boolean
}

function readOdometerKm(a: RulePoint, b: RulePoint): number | null {
  if (a.odometer === null || b.odometer === null) return null
  const delta = b.odometer - a.odometer
  return delta >= 0 ? delta : null
}

/**
 * Distance: haversine between the points. The odometer takes over across a data gap (where the
 * straight line says little); without positions it is all there is. The points are the cleaned
 * stream (`cleanTrack`): outliers already hold the last good position, so a step is never dropped
 * here for its speed, which would lose the catch-up after a frozen receiver (seconds of identical
 * fixes, then one long step) that the cleaner measured over the whole freeze and accepted.
 */
export function measureSegmentKm(a: RulePoint, b: RulePoint, isGap: boolean): number {
  const gps = measurePointsKm(a, b)
  const odometer = readOdometerKm(a, b)
  if (isGap && odometer !== null) return odometer
  return gps ?? odometer ?? 0
}

export function measureSegment(from: RulePoint, to: RulePoint): Segment {
  const durationSec = (to.time - from.time) / 1000
  const isGap = to.time - from.time > SEGMENT_MAX_GAP_MS
  const distanceKm = measureSegmentKm(from, to, isGap)
  const speeds = [from.speed, to.speed].filter((s): s is number => s !== null)
  const speed =
    speeds.length > 0
      ? speeds.reduce((a, b) => a + b, 0) / speeds.length
      : durationSec > 0
        ? (distanceKm / durationSec) * 3600
        : 0
  const isMoving = !isGap && speed >= STOP_SPEED_KMH
  const isIdle = !isGap && !isMoving && isEngineOn(from)
  return { from, to, durationSec, distanceKm, speed, isGap, isMoving, isIdle }
}

/** A point's speed, falling back on the segment that led to it. */
export function readSpeed(point: RulePoint, segment: Segment | null): number {
  return point.speed ?? segment?.speed ?? 0
}

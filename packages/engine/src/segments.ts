import { measurePointsKm } from './geo.ts'
import { isEngineOn } from './points.ts'
import type { RulePoint } from './types.ts'

/** Below this (km/h) a vehicle is stopped; trips, stops and daily idle time all use it. */
export const STOP_SPEED_KMH = 3
/** Consecutive points further apart than this are a data gap: no driving or idle time counted. */
export const SEGMENT_MAX_GAP_MS = 600_000
/** A GPS step implying more than this is a glitch: the odometer (or nothing) is used instead. */
export const MAX_PLAUSIBLE_KMH = 300

/** The stretch between two consecutive points. */
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
 * straight line says little) and for implausible GPS jumps; without positions it is all there is.
 */
export function measureSegmentKm(a: RulePoint, b: RulePoint, isGap: boolean): number {
  const gps = measurePointsKm(a, b)
  const odometer = readOdometerKm(a, b)
  if (isGap && odometer !== null) return odometer
  const hours = (b.time - a.time) / 3_600_000
  if (gps !== null && (hours <= 0 || gps / hours <= MAX_PLAUSIBLE_KMH)) return gps
  return odometer ?? 0
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

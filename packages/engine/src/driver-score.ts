/**
 * The driver score: 100 minus documented penalties, each a measured behaviour per 100 km times an
 * organization's weight, so a driver sees exactly which habit cost how many points. The measures
 * come from the points alone (not from alerts, which depend on the rules an organization keeps),
 * with the engine's own definitions (cleaned track, segments, trips), so the same drive gives the
 * same score live and reprocessed.
 */
import { measureZoneOffsetMs } from './days.ts'
import { HARSH_MAX_GAP_MS } from './motion-rules.ts'
import { sortPoints } from './points.ts'
import { measureSegment } from './segments.ts'
import { cleanTrack } from './track.ts'
import { detectTrips } from './trips.ts'
import type { RulePointInput } from './types.ts'

export const SCORE_COMPONENTS = [
  'harshAcceleration',
  'harshBraking',
  'speeding',
  'idling',
  'longDriving',
  'nightDriving',
] as const
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number]

export type ScoreWeights = Record<ScoreComponent, number>

/**
 * Points off per unit of each measure. Units: harsh events per 100 km; seconds over the speed
 * limit per 100 km; percent of engine-on time spent idling; seconds driven past the continuous
 * driving limit per 100 km; seconds driven at night per 100 km. So, with the defaults: one harsh
 * braking every 100 km costs 3 points, a minute over the limit every 100 km 6, idling a fifth of
 * the engine time 6, half an hour past the driving limit in 500 km 7.2, an all-night drive 12.
 */
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  harshAcceleration: 2,
  harshBraking: 3,
  speeding: 0.1,
  idling: 0.3,
  longDriving: 0.02,
  nightDriving: 0.002,
}

export interface ScoreOptions {
  /** km/h: the organization's overspeed rule threshold (default 100). */
  speedLimitKmh?: number
  /** km/h per second: the harsh rule threshold (default 12). */
  harshThreshold?: number
  /** IANA zone for night hours (default UTC). */
  timeZone?: string
}

/** Continuous driving allowed before a break (the EU's 4.5 h). */
export const LONG_DRIVING_LIMIT_SEC = 4.5 * 3600
/** A stop at least this long is a break that resets continuous driving (the EU's 45 min). */
export const DRIVING_BREAK_MS = 45 * 60_000
/** Night: local hours [22, 24) and [0, 5). */
export const NIGHT_START_HOUR = 22
export const NIGHT_END_HOUR = 5
/** Rates are per 100 km of at least this distance, so a short drive's one event is not 100 points. */
export const MIN_SCORED_KM = 10
/** Gaps longer than this between two points count nothing (no speeding or night time across it). */
const MAX_MEASURED_GAP_MS = 60_000

/** What a drive measured: sums, so drives add up before the score is taken. */
export interface DrivingMeasures {
  distanceKm: number
  drivingSec: number
  idleSec: number
  harshAccelerations: number
  harshBrakings: number
  speedingSec: number
  longDrivingSec: number
  nightSec: number
}

export function createMeasures(): DrivingMeasures {
  return {
    distanceKm: 0,
    drivingSec: 0,
    idleSec: 0,
    harshAccelerations: 0,
    harshBrakings: 0,
    speedingSec: 0,
    longDrivingSec: 0,
    nightSec: 0,
  }
}

export function addMeasures(a: DrivingMeasures, b: DrivingMeasures): DrivingMeasures {
  const sum = createMeasures()
  for (const key of Object.keys(sum) as (keyof DrivingMeasures)[]) sum[key] = a[key] + b[key]
  return sum
}

function isNight(time: number, timeZone: string): boolean {
  const local = time + measureZoneOffsetMs(time, timeZone)
  const hour = new Date(local).getUTCHours()
  return hour >= NIGHT_START_HOUR || hour < NIGHT_END_HOUR
}

/**
 * Measures one vehicle's drive over [from, to): what starts in it counts (a stretch between two
 * points by its start, a harsh pair by its first point). `points` may reach beyond the span
 * (context for the position cleaner and for trips crossing its edges).
 */
export function measureDriving(
  input: readonly RulePointInput[],
  span: { from: number; to: number },
  options: ScoreOptions = {},
): DrivingMeasures {
  const limit = options.speedLimitKmh ?? 100
  const harsh = options.harshThreshold ?? 12
  const timeZone = options.timeZone ?? 'UTC'
  const measures = createMeasures()
  const sorted = sortPoints(input)
  const points = cleanTrack(sorted).points
  const inSpan = (time: number) => time >= span.from && time < span.to
  // Harsh events: consecutive harsh pairs of one sign are one event, as the harsh rule counts them.
  let harshSign = 0
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]
    const b = sorted[i]
    if (!a || !b) continue
    const dt = b.time - a.time
    const sign =
      a.speed !== null && b.speed !== null && dt > 0 && dt <= HARSH_MAX_GAP_MS
        ? Math.sign(Math.abs((b.speed - a.speed) / (dt / 1000)) > harsh ? b.speed - a.speed : 0)
        : 0
    if (sign !== 0 && sign !== harshSign && inSpan(a.time)) {
      if (sign > 0) measures.harshAccelerations++
      else measures.harshBrakings++
    }
    harshSign = sign
  }
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]
    const b = points[i]
    if (!a || !b || !inSpan(a.time)) continue
    const seg = measureSegment(a, b)
    measures.distanceKm += seg.distanceKm
    if (seg.isMoving) measures.drivingSec += seg.durationSec
    if (seg.isIdle) measures.idleSec += seg.durationSec
    if (!seg.isMoving || b.time - a.time > MAX_MEASURED_GAP_MS) continue
    if ((a.speed ?? seg.speed) > limit) measures.speedingSec += seg.durationSec
    if (isNight(a.time, timeZone)) measures.nightSec += seg.durationSec
  }
  // Continuous driving: trips separated by stops shorter than a break add up.
  let chainSec = 0
  let chainEnd = Number.NEGATIVE_INFINITY
  for (const trip of detectTrips(sorted).trips) {
    if (trip.start - chainEnd >= DRIVING_BREAK_MS) chainSec = 0
    const before = chainSec
    chainSec += trip.drivingSec
    chainEnd = trip.end
    if (inSpan(trip.start)) {
      measures.longDrivingSec += Math.max(0, chainSec - Math.max(before, LONG_DRIVING_LIMIT_SEC))
    }
  }
  return measures
}

export interface ScoreLine {
  component: ScoreComponent
  /** The measure in its unit (see DEFAULT_SCORE_WEIGHTS). */
  value: number
  weight: number
  /** Points off: value × weight. */
  penalty: number
}

export interface DriverScore {
  /** 0..100, higher is better; null without any distance. */
  score: number | null
  breakdown: ScoreLine[]
}

function round(value: number, digits: number) {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** The score of summed measures: 100 minus each component's penalty, never below 0. */
export function scoreDriving(
  measures: DrivingMeasures,
  weights: Partial<ScoreWeights> = {},
): DriverScore {
  const w = { ...DEFAULT_SCORE_WEIGHTS, ...weights }
  const per100km = 100 / Math.max(measures.distanceKm, MIN_SCORED_KM)
  const engineSec = measures.drivingSec + measures.idleSec
  const values: Record<ScoreComponent, number> = {
    harshAcceleration: measures.harshAccelerations * per100km,
    harshBraking: measures.harshBrakings * per100km,
    speeding: measures.speedingSec * per100km,
    idling: engineSec > 0 ? (measures.idleSec / engineSec) * 100 : 0,
    longDriving: measures.longDrivingSec * per100km,
    nightDriving: measures.nightSec * per100km,
  }
  const breakdown = SCORE_COMPONENTS.map((component) => ({
    component,
    value: round(values[component], 2),
    weight: w[component],
    penalty: round(values[component] * w[component], 2),
  }))
  if (measures.distanceKm <= 0) return { score: null, breakdown }
  const total = breakdown.reduce((sum, line) => sum + line.penalty, 0)
  return { score: round(Math.max(0, 100 - total), 1), breakdown }
}

import { measureDistanceM } from './geo.ts'
import { sortPoints, toRulePoint } from './points.ts'
import { SEGMENT_MAX_GAP_MS } from './segments.ts'
import type { RulePoint, RulePointInput } from './types.ts'

/**
 * Position quality: which fixes of a vehicle's stream are used, and the speed of points that
 * report none. One causal fold (each point judged on the points before it only), run by the live
 * rules, the history path, trips and summaries alike, so they all measure the same track.
 */

/** A step from the anchor implying more than this is no road vehicle's: the fix is an outlier. */
export const MAX_PLAUSIBLE_KMH = 300
/** A step this short is never an outlier, whatever speed it implies (GPS jitter). */
export const JITTER_ALLOWANCE_KM = 0.05
/** Implied speeds are taken over at least this long (fixes sampled faster than 1 Hz jitter). */
export const MIN_STEP_MS = 1000
/**
 * A frozen receiver repeats its last fix; the catch-up after it is measured over the freeze, but
 * over at most this long before the last repeat: a vehicle parked for hours has not been driving
 * the whole time, and a glitch after it is still an outlier.
 */
export const MAX_FREEZE_CREDIT_MS = 40_000
/** A fix whose reported accuracy is worse than this (metres) is invalid. */
export const MAX_ACCURACY_M = 100

/** `ok`: used as sent (speed derived if missing); `outlier`, `invalid`: its position is not used. */
export type FixQuality = 'ok' | 'outlier' | 'invalid'

/** A position and the time the vehicle was first seen there (and last, for an anchor). */
export interface TrackFix {
  time: number
  lat: number
  lon: number
  /** The latest repeat of this position (absent: `time`). */
  lastTime?: number
}

/** The cleaner's state: plain JSON, folded over one vehicle's points in time order. */
export interface TrackState {
  /**
   * The last accepted distinct fix, at the time it was first seen: repeats of the same position (a
   * frozen receiver) do not move it, so the catch-up after a freeze is measured over the freeze.
   */
  anchor: TrackFix | null
  /** An implausible fix, kept until the next fix tells a lone outlier from a real move. */
  suspect: TrackFix | null
}

export interface CleanedFix {
  state: TrackState
  /** The point as the engine uses it (see `cleanFix`). */
  point: RulePoint
  quality: FixQuality
}

export function createTrackState(): TrackState {
  return { anchor: null, suspect: null }
}

/** The device says the fix is invalid, it is at 0/0 (no fix), or it is too imprecise. */
export function isInvalidFix(point: RulePoint): boolean {
  if (point.valid === false) return true
  if (point.lat === 0 && point.lon === 0) return true
  return point.accuracy !== null && point.accuracy > MAX_ACCURACY_M
}

function isSamePlace(a: TrackFix, b: TrackFix): boolean {
  return a.lat === b.lat && a.lon === b.lon
}

function measureKm(a: TrackFix, b: TrackFix): number {
  return measureDistanceM(a.lat, a.lon, b.lat, b.lon) / 1000
}

/**
 * km/h over `km` from a to b: from a's first time, or at most MAX_FREEZE_CREDIT_MS before its
 * last repeat, over at least MIN_STEP_MS; infinite when b is not after a.
 */
function findImpliedKmh(a: TrackFix, b: TrackFix, km: number): number {
  if (b.time <= a.time) return Number.POSITIVE_INFINITY
  const since = Math.max(a.time, (a.lastTime ?? a.time) - MAX_FREEZE_CREDIT_MS)
  const hours = Math.max(MIN_STEP_MS, b.time - since) / 3_600_000
  return km / hours
}

/** Within the jitter allowance, or no faster than MAX_PLAUSIBLE_KMH. */
function isPlausibleStep(from: TrackFix, to: TrackFix): boolean {
  const km = measureKm(from, to)
  return km <= JITTER_ALLOWANCE_KM || findImpliedKmh(from, to, km) <= MAX_PLAUSIBLE_KMH
}

/**
 * The speed implied from `from` to `to`: 0 at the same place; unknown (null) across a data gap,
 * where a mean over the gap says nothing about the speed now.
 */
function deriveSpeed(from: TrackFix, to: TrackFix): number | null {
  if (isSamePlace(from, to)) return 0
  if (to.time - from.time > SEGMENT_MAX_GAP_MS) return null
  const kmh = findImpliedKmh(from, to, measureKm(from, to))
  // A short step that implies no road speed (jitter) says nothing about the speed either.
  return kmh <= MAX_PLAUSIBLE_KMH ? kmh : null
}

/** The point at the anchor's position (none without an anchor), with this speed. */
function holdPosition(point: RulePoint, anchor: TrackFix | null, speed: number | null): RulePoint {
  return { ...point, lat: anchor?.lat ?? null, lon: anchor?.lon ?? null, speed }
}

/** The fix becomes the anchor; a missing speed is derived from `from` (the anchor or suspect). */
function acceptFix(point: RulePoint, fix: TrackFix, from: TrackFix | null): CleanedFix {
  const speed = point.speed ?? (from ? deriveSpeed(from, fix) : null)
  const anchor = from && isSamePlace(from, fix) ? { ...from, lastTime: fix.time } : fix
  return { state: { anchor, suspect: null }, point: { ...point, speed }, quality: 'ok' }
}

/**
 * Judges one point (in time order, after the points `state` has seen) and returns it as the engine
 * uses it. Other readings (fuel, rpm, ignition…) always pass unchanged.
 *
 * - Invalid fix (`valid` false, 0/0, accuracy worse than MAX_ACCURACY_M): `invalid`.
 * - A step from the anchor longer than JITTER_ALLOWANCE_KM and faster than MAX_PLAUSIBLE_KMH:
 *   `outlier`, and held as the suspect. The next fix decides: plausible from the anchor, the
 *   suspect was a lone outlier; implausible from the anchor but plausible from the suspect, the
 *   vehicle really moved and that fix is accepted (two agreeing fixes are never rejected).
 * - A flagged point keeps the anchor's position (no position without one), so the next segment
 *   measures anchor to next good fix and geofences see no crossing, and loses its speed.
 * - A point without a position keeps the anchor's too (the last known position).
 * - A used fix without a reported speed gets the speed implied from the anchor (0 for a repeat).
 */
export function cleanFix(state: TrackState, point: RulePoint): CleanedFix {
  const { anchor, suspect } = state
  if (isInvalidFix(point)) {
    return { state, point: holdPosition(point, anchor, null), quality: 'invalid' }
  }
  if (point.lat === null || point.lon === null) {
    return { state, point: holdPosition(point, anchor, point.speed), quality: 'ok' }
  }
  const fix = { time: point.time, lat: point.lat, lon: point.lon }
  if (!anchor || isPlausibleStep(anchor, fix)) return acceptFix(point, fix, anchor)
  if (suspect && isPlausibleStep(suspect, fix)) return acceptFix(point, fix, suspect)
  const held = holdPosition(point, anchor, null)
  return { state: { anchor, suspect: fix }, point: held, quality: 'outlier' }
}

/** `cleanFix` over points already in canonical order (`sortPoints`). */
export function cleanTrack(points: readonly RulePoint[], state: TrackState = createTrackState()) {
  let track = state
  const cleaned: RulePoint[] = []
  const qualities: FixQuality[] = []
  for (const point of points) {
    const out = cleanFix(track, point)
    track = out.state
    cleaned.push(out.point)
    qualities.push(out.quality)
  }
  return { state: track, points: cleaned, qualities }
}

/**
 * The quality of each of `points` (any order; answers in their order), judged after `context`
 * (earlier points, so the first ones are judged like the rest). A point the canonical order
 * drops (another at the same millisecond) is judged on the points before it all the same.
 */
export function findFixQualities(
  points: readonly RulePointInput[],
  context: readonly RulePointInput[] = [],
): FixQuality[] {
  const stateBefore = new Map<number, TrackState>()
  let state = createTrackState()
  for (const point of sortPoints([...context, ...points])) {
    stateBefore.set(point.time, state)
    state = cleanFix(state, point).state
  }
  return points.map((input) => {
    const point = toRulePoint(input)
    return cleanFix(stateBefore.get(point.time) ?? state, point).quality
  })
}

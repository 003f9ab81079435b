import { sortPoints } from './points.ts'
import { measureSegment, readSpeed, type Segment, STOP_SPEED_KMH } from './segments.ts'
import { cleanFix, createTrackState, type TrackState } from './track.ts'
import type { RulePoint, RulePointInput } from './types.ts'

/** A trip starts on a point at or above this speed (ignition not off). */
export const TRIP_START_SPEED_KMH = 5
/** A trip ends once the vehicle has stood still (< STOP_SPEED_KMH) this long, at the stop's start. */
export const STOP_MIN_MS = 180_000

export interface Trip {
  start: number
  end: number
  startLat: number | null
  startLon: number | null
  endLat: number | null
  endLon: number | null
  distanceKm: number
  /** Odometer difference end - start when both ends report one: a cross-check of `distanceKm`. */
  odometerKm: number | null
  maxSpeed: number
  /** Moving distance over driving time, km/h. */
  avgSpeed: number
  drivingSec: number
  /** Stopped time inside the trip (stops shorter than STOP_MIN_MS). */
  idleSec: number
  /** False for a trip still under way at the end of the data. */
  isComplete: boolean
}

export interface Stop {
  start: number
  end: number
  lat: number | null
  lon: number | null
  durationSec: number
}

interface Totals {
  distanceKm: number
  movingKm: number
  drivingSec: number
  idleSec: number
  maxSpeed: number
}

interface TripDraft {
  first: RulePoint
  last: RulePoint
  totals: Totals
  /** The current stop inside the trip: where it began and what accrued since (pending). */
  stop: { point: RulePoint; totals: Totals } | null
}

/** A trip detector's state: plain JSON, folded over points in time order. */
export interface TripState {
  /** The position cleaner's state: trips are measured on the cleaned stream. */
  track: TrackState
  /** The previous point, cleaned. */
  prev: RulePoint | null
  draft: TripDraft | null
  lastEnd: RulePoint | null
}

const ZERO: Totals = { distanceKm: 0, movingKm: 0, drivingSec: 0, idleSec: 0, maxSpeed: 0 }

function addSegment(t: Totals, seg: Segment): Totals {
  return {
    distanceKm: t.distanceKm + seg.distanceKm,
    movingKm: t.movingKm + (seg.isMoving ? seg.distanceKm : 0),
    drivingSec: t.drivingSec + (seg.isMoving ? seg.durationSec : 0),
    idleSec: t.idleSec + (seg.isMoving ? 0 : seg.durationSec),
    maxSpeed: Math.max(t.maxSpeed, readSpeed(seg.from, seg), readSpeed(seg.to, seg)),
  }
}

function addTotals(a: Totals, b: Totals): Totals {
  return {
    distanceKm: a.distanceKm + b.distanceKm,
    movingKm: a.movingKm + b.movingKm,
    drivingSec: a.drivingSec + b.drivingSec,
    idleSec: a.idleSec + b.idleSec,
    maxSpeed: Math.max(a.maxSpeed, b.maxSpeed),
  }
}

function extendDraft(draft: TripDraft, seg: Segment): TripDraft {
  if (!draft.stop) return { ...draft, last: seg.to, totals: addSegment(draft.totals, seg) }
  const stop = { point: draft.stop.point, totals: addSegment(draft.stop.totals, seg) }
  return { ...draft, last: seg.to, stop }
}

/** Where a trip ends: at the start of a pending stop that is cut off, else at its last point. */
function findEndPoint(draft: TripDraft, keepsStop: boolean): RulePoint {
  return draft.stop && !keepsStop ? draft.stop.point : draft.last
}

/** The trip so far; a pending stop is either kept (ignition off, end of data) or cut off. */
function finishDraft(draft: TripDraft, keepsStop: boolean, isComplete: boolean): Trip {
  const end = findEndPoint(draft, keepsStop)
  const t = draft.stop && keepsStop ? addTotals(draft.totals, draft.stop.totals) : draft.totals
  const { first } = draft
  const odometerKm =
    first.odometer !== null && end.odometer !== null ? end.odometer - first.odometer : null
  return {
    start: first.time,
    end: end.time,
    startLat: first.lat,
    startLon: first.lon,
    endLat: end.lat,
    endLon: end.lon,
    distanceKm: t.distanceKm,
    odometerKm,
    maxSpeed: t.maxSpeed,
    avgSpeed: t.drivingSec > 0 ? t.movingKm / (t.drivingSec / 3600) : 0,
    drivingSec: t.drivingSec,
    idleSec: t.idleSec,
    isComplete,
  }
}

type Ending = 'keeps-stop' | 'cuts-stop' | null

/**
 * What a point does to a trip under way: a data gap ends it (before the gap), ignition off ends it
 * here, moving resumes it (a pending stop becomes idle time), stopping opens or prolongs a stop
 * that ends the trip once it reaches STOP_MIN_MS.
 */
function advanceDraft(draft: TripDraft, seg: Segment): { draft: TripDraft; ending: Ending } {
  const point = seg.to
  if (seg.isGap) return { draft, ending: 'cuts-stop' }
  const next = extendDraft(draft, seg)
  if (point.ignition === false) return { draft: next, ending: 'keeps-stop' }
  if (readSpeed(point, seg) >= STOP_SPEED_KMH) {
    if (!next.stop) return { draft: next, ending: null }
    const totals = addTotals(next.totals, next.stop.totals)
    return { draft: { ...next, totals, stop: null }, ending: null }
  }
  if (!next.stop) return { draft: { ...next, stop: { point, totals: ZERO } }, ending: null }
  const isLongStop = point.time - next.stop.point.time >= STOP_MIN_MS
  return { draft: next, ending: isLongStop ? 'cuts-stop' : null }
}

export function createTripState(): TripState {
  return { track: createTrackState(), prev: null, draft: null, lastEnd: null }
}

/**
 * One point (in time order), cleaned first (`cleanFix`): closed trips, and the stop before a trip
 * that just started.
 */
export function stepTrip(state: TripState, input: RulePoint) {
  const cleaned = cleanFix(state.track, input)
  const point = cleaned.point
  const { prev } = state
  const seg = prev ? measureSegment(prev, point) : null
  let { draft, lastEnd } = state
  const trips: Trip[] = []
  const stops: Stop[] = []
  if (draft && seg) {
    const advanced = advanceDraft(draft, seg)
    draft = advanced.draft
    if (advanced.ending) {
      const keepsStop = advanced.ending === 'keeps-stop'
      trips.push(finishDraft(draft, keepsStop, true))
      lastEnd = findEndPoint(draft, keepsStop)
      draft = null
    }
  }
  if (!draft && readSpeed(point, seg) >= TRIP_START_SPEED_KMH && point.ignition !== false) {
    const first = prev && seg && !seg.isGap ? prev : point
    if (lastEnd && first.time > lastEnd.time) {
      const { lat, lon } = lastEnd
      const durationSec = (first.time - lastEnd.time) / 1000
      stops.push({ start: lastEnd.time, end: first.time, lat, lon, durationSec })
    }
    const totals = first === prev && seg ? addSegment(ZERO, seg) : ZERO
    draft = { first, last: point, totals, stop: null }
    lastEnd = null
  }
  const next: TripState = { track: cleaned.state, prev: point, draft, lastEnd }
  // The stretch from the previous point, for callers measuring the same cleaned stream.
  return { state: next, trips, stops, segment: seg }
}

/** The trip still under way at the end of the data, if any (`isComplete: false`). */
export function finishTrips(state: TripState): Trip | null {
  return state.draft ? finishDraft(state.draft, true, false) : null
}

/** Trips and the stops between them, from a vehicle's points in any order. */
export function detectTrips(points: readonly RulePointInput[]): { trips: Trip[]; stops: Stop[] } {
  let state = createTripState()
  const trips: Trip[] = []
  const stops: Stop[] = []
  for (const point of sortPoints(points)) {
    const out = stepTrip(state, point)
    state = out.state
    trips.push(...out.trips)
    stops.push(...out.stops)
  }
  const open = finishTrips(state)
  if (open) trips.push(open)
  return { trips, stops }
}

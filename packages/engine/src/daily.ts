import { RULE_DEFAULTS } from './config.ts'
import { addDays, type DayBounds, findDayStart, listDays } from './days.ts'
import { detectFuelEpisodes, type FuelEpisode } from './fuel-track.ts'
import { sortPoints } from './points.ts'
import { measureSegment } from './segments.ts'
import { cleanTrack } from './track.ts'
import { detectTrips } from './trips.ts'
import {
  type AlertEvent,
  RULE_KINDS,
  type RuleKind,
  type RulePoint,
  type RulePointInput,
} from './types.ts'

/** Load this much data either side of the requested days (trips, refuels crossing the edge). */
export const REPORT_MARGIN_MS = 2 * 3_600_000

export interface DailySummary extends DayBounds {
  /** Points stored in the day. */
  pointCount: number
  distanceKm: number
  /** Distance covered while moving: `avgSpeed` = this over driving time. */
  movingDistanceKm: number
  drivingSec: number
  idleSec: number
  maxSpeed: number | null
  avgSpeed: number | null
  /** Fuel used, percentage points: level at start - level at end + refuelled. Null: no fuel data. */
  fuelUsedPct: number | null
  refuelledPct: number
  refuelCount: number
  /** Trips starting this day. */
  tripCount: number
  /** Distinct alerts (by key) whose episode started this day. */
  alertCounts: Record<RuleKind, number>
}

export interface SummaryInput {
  /** One vehicle's points, any order, covering the days plus REPORT_MARGIN_MS either side. */
  points: readonly RulePointInput[]
  alerts?: readonly AlertEvent[]
  /** IANA zone for day boundaries (default UTC). */
  timeZone?: string
}

/** The points a report over `fromDate`..`toDate` should load: the days plus the margin. */
export function findReportRange(fromDate: string, toDate: string, timeZone = 'UTC') {
  const from = findDayStart(fromDate, timeZone) - REPORT_MARGIN_MS
  return { from, to: findDayStart(addDays(toDate, 1), timeZone) + REPORT_MARGIN_MS }
}

/** Moving distance over driving time (km/h); null without driving. */
export function findAverageSpeed(s: { movingDistanceKm: number; drivingSec: number }) {
  return s.drivingSec > 0 ? s.movingDistanceKm / (s.drivingSec / 3600) : null
}

/** Every kind at zero: copied, never handed out (summaries count into their own copy). */
const NO_ALERTS = Object.freeze(
  Object.fromEntries(RULE_KINDS.map((k) => [k, 0])) as Record<RuleKind, number>,
)

/**
 * An empty day. Built as one literal with a spread copy of `NO_ALERTS`: a report makes one per
 * vehicle and day (30,000 for a month of 1,000 vehicles), and building each from entries and
 * spreading the bounds took a hundred times as long (about 2 s for those 30,000).
 */
export function createSummary(bounds: DayBounds): DailySummary {
  return {
    date: bounds.date,
    start: bounds.start,
    end: bounds.end,
    pointCount: 0,
    distanceKm: 0,
    movingDistanceKm: 0,
    drivingSec: 0,
    idleSec: 0,
    maxSpeed: null,
    avgSpeed: null,
    fuelUsedPct: null,
    refuelledPct: 0,
    refuelCount: 0,
    tripCount: 0,
    alertCounts: { ...NO_ALERTS },
  }
}

/** Calls `add` for each day overlapping [from, to) with the share of the span inside it. */
function spreadOverDays(
  days: DailySummary[],
  from: number,
  to: number,
  add: (day: DailySummary, share: number) => void,
) {
  for (let i = findFirstDayEndingAfter(days, from); i < days.length; i++) {
    const day = days[i]
    if (!day || day.start >= to) break
    add(day, (Math.min(to, day.end) - Math.max(from, day.start)) / (to - from))
  }
}

/** The span containing `time` (binary search: spans are ascending and contiguous). */
function findDay(days: DailySummary[], time: number): DailySummary | undefined {
  const day = days[findFirstDayEndingAfter(days, time)]
  return day && time >= day.start ? day : undefined
}

/** The index of the first day ending after `time` (binary search), `days.length` if none does. */
function findFirstDayEndingAfter(days: DailySummary[], time: number): number {
  let low = 0
  let high = days.length
  while (low < high) {
    const mid = (low + high) >> 1
    const day = days[mid]
    if (day === undefined) throw new Error(`Day list has a hole at ${mid}`)
    if (day.end <= time) low = mid + 1
    else high = mid
  }
  return low
}

function isInEpisode(episodes: readonly FuelEpisode[], from: number, to: number): boolean {
  return episodes.some((e) => from >= e.start && to <= e.lastTime)
}

/**
 * Per-day summaries for `fromDate`..`toDate` (inclusive). Every quantity is a sum over the
 * stretches between consecutive points, a stretch crossing midnight split by time, so a month is
 * exactly the sum of its days, and `summarizeDay` equals the same day taken from a month.
 */
export function summarizeDays(input: SummaryInput & { fromDate: string; toDate: string }) {
  return summarizeSpans(input, listDays(input.fromDate, input.toDate, input.timeZone))
}

/**
 * The summaries of any ascending, contiguous spans (days, or the 15-minute activity buckets the
 * reports add up): the one computation behind every summary figure.
 */
export function summarizeSpans(input: SummaryInput, spans: readonly DayBounds[]) {
  const days = spans.map(createSummary)
  const sorted = sortPoints(input.points)
  // Outliers and invalid fixes hold the last good position; missing speeds are derived.
  const points = cleanTrack(sorted).points
  let previous: RulePoint | undefined
  for (const point of points) {
    if (!previous) {
      previous = point
      continue
    }
    const seg = measureSegment(previous, point)
    previous = point
    spreadOverDays(days, seg.from.time, seg.to.time, (day, share) => {
      day.distanceKm += seg.distanceKm * share
      if (seg.isMoving) day.movingDistanceKm += seg.distanceKm * share
      if (seg.isMoving) day.drivingSec += seg.durationSec * share
      if (seg.isIdle) day.idleSec += seg.durationSec * share
    })
  }
  for (const point of points) {
    const day = findDay(days, point.time)
    if (!day) continue
    day.pointCount++
    if (point.speed !== null) day.maxSpeed = Math.max(day.maxSpeed ?? 0, point.speed)
  }
  const samples = points.flatMap((p) => (p.fuel === null ? [] : [{ time: p.time, fuel: p.fuel }]))
  const refuel = RULE_DEFAULTS.refuel
  const spec = {
    direction: 1,
    threshold: refuel.threshold,
    windowMs: refuel.durationSec * 1000,
  } as const
  const episodes = detectFuelEpisodes(samples, spec)
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]
    const b = samples[i]
    if (!a || !b) continue
    const isRefuel = isInEpisode(episodes, a.time, b.time)
    spreadOverDays(days, a.time, b.time, (day, share) => {
      day.fuelUsedPct = (day.fuelUsedPct ?? 0) + (isRefuel ? 0 : (a.fuel - b.fuel) * share)
      if (isRefuel) day.refuelledPct += (b.fuel - a.fuel) * share
    })
  }
  for (const episode of episodes) {
    const day = findDay(days, episode.start)
    if (day) day.refuelCount++
  }
  for (const trip of detectTrips(sorted).trips) {
    const day = findDay(days, trip.start)
    if (day) day.tripCount++
  }
  const alerts = new Map((input.alerts ?? []).map((a) => [a.key, a]))
  for (const alert of alerts.values()) {
    const day = findDay(days, alert.time)
    // The summaries count the rules' alerts (the columns of the daily report).
    if (day && alert.kind in day.alertCounts) day.alertCounts[alert.kind as RuleKind]++
  }
  for (const day of days) day.avgSpeed = findAverageSpeed(day)
  return days
}

/** True when a summary adds nothing to a sum (no points, distance, time, fuel or events). */
export function isEmptySummary(
  s: Omit<DailySummary, keyof DayBounds | 'alertCounts' | 'avgSpeed'>,
) {
  return (
    s.pointCount === 0 &&
    s.distanceKm === 0 &&
    s.movingDistanceKm === 0 &&
    s.drivingSec === 0 &&
    s.idleSec === 0 &&
    s.maxSpeed === null &&
    s.fuelUsedPct === null &&
    s.refuelledPct === 0 &&
    s.refuelCount === 0 &&
    s.tripCount === 0
  )
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

function roundNullable(value: number | null, digits: number): number | null {
  return value === null ? null : round(value, digits)
}

/**
 * A summary as reports show it: metres, tenths of a second and hundredths of a percent or km/h.
 * Sums of the same figures taken in another order (buckets vs points, one database or another)
 * agree to far better than that, so the rounded figures are the same whichever path made them.
 */
export function roundSummary<T extends Omit<DailySummary, 'date'>>(s: T): T {
  return {
    ...s,
    distanceKm: round(s.distanceKm, 3),
    movingDistanceKm: round(s.movingDistanceKm, 3),
    drivingSec: round(s.drivingSec, 1),
    idleSec: round(s.idleSec, 1),
    maxSpeed: roundNullable(s.maxSpeed, 2),
    avgSpeed: roundNullable(s.avgSpeed, 2),
    fuelUsedPct: roundNullable(s.fuelUsedPct, 2),
    refuelledPct: round(s.refuelledPct, 2),
  }
}

/**
 * `roundSummary` of a day, built as one literal of a fixed shape: a fleet's month is tens of
 * thousands of days, and the generic spread took most of a report's time.
 */
export function roundDay(s: DailySummary): DailySummary {
  return {
    date: s.date,
    start: s.start,
    end: s.end,
    pointCount: s.pointCount,
    distanceKm: round(s.distanceKm, 3),
    movingDistanceKm: round(s.movingDistanceKm, 3),
    drivingSec: round(s.drivingSec, 1),
    idleSec: round(s.idleSec, 1),
    maxSpeed: roundNullable(s.maxSpeed, 2),
    avgSpeed: roundNullable(s.avgSpeed, 2),
    fuelUsedPct: roundNullable(s.fuelUsedPct, 2),
    refuelledPct: round(s.refuelledPct, 2),
    refuelCount: s.refuelCount,
    tripCount: s.tripCount,
    alertCounts: s.alertCounts,
  }
}

/** One day: the same computation as `summarizeDays`, for a single date. */
export function summarizeDay(input: SummaryInput & { date: string }): DailySummary {
  const [day] = summarizeDays({ ...input, fromDate: input.date, toDate: input.date })
  if (!day) throw new Error(`Not a calendar date: ${input.date}`)
  return day
}

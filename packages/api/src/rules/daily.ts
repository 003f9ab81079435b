import { RULE_DEFAULTS } from './config.ts'
import { addDays, type DayBounds, findDayStart, listDays } from './days.ts'
import { detectFuelEpisodes, type FuelEpisode } from './fuel-track.ts'
import { sortPoints } from './points.ts'
import { measureSegment } from './segments.ts'
import { detectTrips } from './trips.ts'
import { type AlertEvent, RULE_KINDS, type RuleKind, type RulePointInput } from './types.ts'

/** Load this much data either side of the requested days (trips, refuels crossing the edge). */
export const REPORT_MARGIN_MS = 2 * 3_600_000

export interface DailySummary extends DayBounds {
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

function createSummary(bounds: DayBounds): DailySummary {
  const alertCounts = Object.fromEntries(RULE_KINDS.map((k) => [k, 0])) as Record<RuleKind, number>
  return {
    ...bounds,
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
    alertCounts,
  }
}

/** Calls `add` for each day overlapping [from, to) with the share of the span inside it. */
function spreadOverDays(
  days: DailySummary[],
  from: number,
  to: number,
  add: (day: DailySummary, share: number) => void,
) {
  let low = 0
  let high = days.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (days[mid]!.end <= from) low = mid + 1
    else high = mid
  }
  for (let i = low; i < days.length && days[i]!.start < to; i++) {
    const day = days[i]!
    add(day, (Math.min(to, day.end) - Math.max(from, day.start)) / (to - from))
  }
}

function findDay(days: DailySummary[], time: number): DailySummary | undefined {
  return days.find((d) => time >= d.start && time < d.end)
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
  const days = listDays(input.fromDate, input.toDate, input.timeZone).map(createSummary)
  const points = sortPoints(input.points)
  for (let i = 1; i < points.length; i++) {
    const seg = measureSegment(points[i - 1]!, points[i]!)
    spreadOverDays(days, seg.from.time, seg.to.time, (day, share) => {
      day.distanceKm += seg.distanceKm * share
      if (seg.isMoving) day.movingDistanceKm += seg.distanceKm * share
      if (seg.isMoving) day.drivingSec += seg.durationSec * share
      if (seg.isIdle) day.idleSec += seg.durationSec * share
    })
  }
  for (const point of points) {
    const day = point.speed === null ? undefined : findDay(days, point.time)
    if (day) day.maxSpeed = Math.max(day.maxSpeed ?? 0, point.speed!)
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
    const a = samples[i - 1]!
    const b = samples[i]!
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
  for (const trip of detectTrips(points).trips) {
    const day = findDay(days, trip.start)
    if (day) day.tripCount++
  }
  const alerts = new Map((input.alerts ?? []).map((a) => [a.key, a]))
  for (const alert of alerts.values()) {
    const day = findDay(days, alert.time)
    if (day) day.alertCounts[alert.kind]++
  }
  for (const day of days) {
    day.avgSpeed = day.drivingSec > 0 ? day.movingDistanceKm / (day.drivingSec / 3600) : null
  }
  return days
}

/** One day: the same computation as `summarizeDays`, for a single date. */
export function summarizeDay(input: SummaryInput & { date: string }): DailySummary {
  return summarizeDays({ ...input, fromDate: input.date, toDate: input.date })[0]!
}

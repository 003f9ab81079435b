import type { DailySummary } from './daily.ts'
import { RULE_KINDS, type RuleKind } from './types.ts'

export interface PeriodSummary extends Omit<DailySummary, 'date'> {
  fromDate: string
  toDate: string
  dayCount: number
}

function addNullable(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b
}

/** Totals over consecutive days: sums, the max of maxima, avgSpeed re-derived from the sums. */
export function sumSummaries(days: readonly DailySummary[]): PeriodSummary | null {
  const first = days[0]
  const last = days[days.length - 1]
  if (!first || !last) return null
  const alertCounts = Object.fromEntries(RULE_KINDS.map((k) => [k, 0])) as Record<RuleKind, number>
  const total: PeriodSummary = {
    fromDate: first.date,
    toDate: last.date,
    dayCount: days.length,
    start: first.start,
    end: last.end,
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
    alertCounts,
  }
  for (const day of days) {
    total.pointCount += day.pointCount
    total.distanceKm += day.distanceKm
    total.movingDistanceKm += day.movingDistanceKm
    total.drivingSec += day.drivingSec
    total.idleSec += day.idleSec
    total.maxSpeed =
      day.maxSpeed === null ? total.maxSpeed : Math.max(total.maxSpeed ?? 0, day.maxSpeed)
    total.fuelUsedPct = addNullable(total.fuelUsedPct, day.fuelUsedPct)
    total.refuelledPct += day.refuelledPct
    total.refuelCount += day.refuelCount
    total.tripCount += day.tripCount
    for (const kind of RULE_KINDS) alertCounts[kind] += day.alertCounts[kind]
  }
  total.avgSpeed = total.drivingSec > 0 ? total.movingDistanceKm / (total.drivingSec / 3600) : null
  return total
}

import { createSummary, type DailySummary, findAverageSpeed } from './daily.ts'
import { RULE_KINDS } from './types.ts'

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
  const { date: _, ...empty } = createSummary({
    date: first.date,
    start: first.start,
    end: last.end,
  })
  const total: PeriodSummary = {
    ...empty,
    fromDate: first.date,
    toDate: last.date,
    dayCount: days.length,
  }
  const { alertCounts } = total
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
  total.avgSpeed = findAverageSpeed(total)
  return total
}

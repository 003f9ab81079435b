import { createSummary, type DailySummary, findAverageSpeed } from './daily.ts'
import type { DayBounds } from './days.ts'
import type { RuleKind } from './types.ts'

export interface PeriodSummary extends Omit<DailySummary, 'date'> {
  fromDate: string
  toDate: string
  dayCount: number
}

function addNullable(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : a + b
}

/** Adds `summary`'s figures into `total`: sums, the max of maxima (avgSpeed is left to the caller). */
function addFigures(total: Omit<DailySummary, 'date'>, summary: Omit<DailySummary, 'date'>) {
  total.pointCount += summary.pointCount
  total.distanceKm += summary.distanceKm
  total.movingDistanceKm += summary.movingDistanceKm
  total.drivingSec += summary.drivingSec
  total.idleSec += summary.idleSec
  total.maxSpeed =
    summary.maxSpeed === null ? total.maxSpeed : Math.max(total.maxSpeed ?? 0, summary.maxSpeed)
  total.fuelUsedPct = addNullable(total.fuelUsedPct, summary.fuelUsedPct)
  total.refuelledPct += summary.refuelledPct
  total.refuelCount += summary.refuelCount
  total.tripCount += summary.tripCount
  // The kinds the summary counted (most days count none): a loop over every kind, indexing both
  // objects by a variable key, took most of a month's report for 1,000 vehicles (30,000 days).
  const counts = summary.alertCounts
  for (const kind in counts) {
    const count = counts[kind as RuleKind]
    if (count !== 0) total.alertCounts[kind as RuleKind] += count
  }
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
  for (const day of days) addFigures(total, day)
  total.avgSpeed = findAverageSpeed(total)
  return total
}

/**
 * One day of several vehicles (a fleet's day): the same sums and max of maxima as
 * `sumSummaries`, avgSpeed re-derived; an empty day when there are no vehicles. Summaries of
 * other days are a mistake and throw.
 */
export function sumVehicleDays(day: DayBounds, summaries: readonly DailySummary[]): DailySummary {
  const total = createSummary(day)
  for (const summary of summaries) {
    if (summary.date !== day.date) {
      throw new Error(`A summary of ${summary.date} among those of ${day.date}`)
    }
    addFigures(total, summary)
  }
  total.avgSpeed = findAverageSpeed(total)
  return total
}

import type { Database } from '@fms/db'
import {
  type ActivityTotals,
  countAlertsByPeriod,
  lockActivityFill,
  sumActivityByPeriod,
} from '@fms/db/queries/activity'
import { type DayRange, findActivityDays, insertActivityDays } from '@fms/db/queries/activity-days'
import {
  createSummary,
  type DailySummary,
  type DayBounds,
  findAverageSpeed,
  RULE_KINDS,
  type RuleKind,
} from '@fms/engine'

type Figures = Omit<ActivityTotals, 'vehicleId' | 'period'>

const RULE_KIND_SET = new Set<string>(RULE_KINDS)

/**
 * Each vehicle's days (in `vehicleIds` order, each list in `days` order), alerts counted: the
 * stored day rows where there are some, the sums of the 15-minute buckets for the rest (and
 * those days stored, once over, for the next report). The same figures either way: a day row is
 * the sum of its buckets, deleted whenever they change.
 */
export async function summarizeVehicleDays(
  db: Database,
  params: { orgId: string; vehicleIds: readonly string[]; days: readonly DayBounds[] },
): Promise<DailySummary[][]> {
  const { orgId, vehicleIds, days } = params
  const rowOf = new Map(vehicleIds.map((id, index) => [id, index]))
  const grid: (Figures | undefined)[][] = vehicleIds.map(() => new Array(days.length))
  const place = ({ vehicleId, period, ...figures }: ActivityTotals) => {
    const row = rowOf.get(vehicleId)
    const list = row === undefined ? undefined : grid[row]
    if (list) list[period] = figures
  }
  const bounds = [...days.map((d) => d.start), days.at(-1)?.end ?? 0]
  // The alert counts do not depend on the figures: read at the same time, on another connection.
  const [stored, alerts] = await Promise.all([
    findActivityDays(db, { orgId, vehicleIds, days }),
    countAlertsByPeriod(db, { orgId, vehicleIds, bounds }),
  ])
  for (const row of stored) place(row)
  for (const summed of await sumMissingDays(db, { orgId, vehicleIds, days, grid })) place(summed)

  const summaries = grid.map((figures) =>
    days.map((bounds, index) => {
      const summary = createSummary(bounds)
      const found = figures[index]
      if (found) Object.assign(summary, found)
      summary.avgSpeed = findAverageSpeed(summary)
      return summary
    }),
  )
  for (const row of alerts) {
    const day = summaries[rowOf.get(row.vehicleId) ?? -1]?.[row.period]
    if (day && RULE_KIND_SET.has(row.kind)) day.alertCounts[row.kind as RuleKind] += row.count
  }
  return summaries
}

/**
 * The days without a stored row, summed from the buckets in one grouped query (the vehicles
 * missing any day, over the days from the first missing to the last), as totals; days without
 * buckets come back as zero rows. Under the fill lock, those of them that have ended are stored:
 * a day still running changes with every refresh, so its row would be deleted at once.
 */
async function sumMissingDays(
  db: Database,
  params: {
    orgId: string
    vehicleIds: readonly string[]
    days: readonly DayRange[]
    grid: readonly (Figures | undefined)[][]
  },
): Promise<ActivityTotals[]> {
  const { orgId, days, grid } = params
  const missing: { vehicleId: string; period: number; day: DayRange }[] = []
  params.vehicleIds.forEach((vehicleId, row) => {
    days.forEach((day, period) => {
      if (!grid[row]?.[period]) missing.push({ vehicleId, period, day })
    })
  })
  // A fleet's month is hundreds of thousands of days: no spreading them into Math.min.
  const first = missing.reduce((min, m) => Math.min(min, m.period), days.length)
  const last = missing.reduce((max, m) => Math.max(max, m.period), -1)
  const lastDay = days[last]
  if (missing.length === 0 || !lastDay) return []
  const vehicleIds = [...new Set(missing.map((m) => m.vehicleId))]
  const bounds = [...days.slice(first, last + 1).map((d) => d.start), lastDay.end]
  return db.transaction(async (tx) => {
    // Taken before the buckets are read, so what is stored is what they were under the lock.
    const canStore = await lockActivityFill(tx, orgId)
    const sums = new Map<string, Figures>()
    const summed = await sumActivityByPeriod(tx, { orgId, vehicleIds, bounds })
    for (const { vehicleId, period, ...figures } of summed) {
      sums.set(`${vehicleId}/${period + first}`, figures)
    }
    const totals = missing.map(({ vehicleId, period, day }) => ({
      vehicleId,
      period,
      day,
      ...(sums.get(`${vehicleId}/${period}`) ?? EMPTY_FIGURES),
    }))
    if (canStore) {
      const now = Date.now()
      const rows = totals
        .filter((t) => t.day.end <= now)
        .map(({ period: _, day, ...figures }) => ({ ...figures, start: day.start, end: day.end }))
      await insertActivityDays(tx, { orgId, rows })
    }
    return totals.map(({ day: _, ...total }) => total)
  })
}

/** A day without buckets: nothing happened (the figures `createSummary` starts from). */
const EMPTY_FIGURES: Figures = {
  pointCount: 0,
  distanceKm: 0,
  movingDistanceKm: 0,
  drivingSec: 0,
  idleSec: 0,
  maxSpeed: null,
  fuelUsedPct: null,
  refuelledPct: 0,
  refuelCount: 0,
  tripCount: 0,
}
